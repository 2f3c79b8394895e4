import { blockChecker, fitsAvailability, freeSlots, localTime, WEEKDAYS, type AvailabilityWindow, type SlotTutor } from './availability';

const at = (iso: string) => new Date(iso);
const hours = (timezone: string, availability: AvailabilityWindow[]) => ({ timezone, availability });
const tutor = (timezone: string, availability: AvailabilityWindow[], over: Partial<SlotTutor> = {}): SlotTutor => ({
  timezone,
  availability,
  minimumNoticeMinutes: 0,
  bufferMinutes: 0,
  ...over,
});
const LONG_AGO = at('2020-01-01T00:00:00Z');
const starts = (slots: { start: string }[]) => slots.map((s) => s.start.slice(11, 16));

describe('A session fits the tutor’s availability', () => {
  it('in Africa/Lagos (UTC+1 all year): a MON 09:00–17:00 window is 08:00–16:00 UTC', () => {
    const lagos = hours('Africa/Lagos', [{ day: 'MON', start: '09:00', end: '17:00' }]);
    // 2026-12-07 is a Monday
    expect(localTime(at('2026-12-07T08:00:00Z'), 'Africa/Lagos')).toEqual({ day: 'MON', minute: 9 * 60 });
    expect(fitsAvailability(lagos, at('2026-12-07T08:00:00Z'), 60)).toBe(true);
    expect(fitsAvailability(lagos, at('2026-12-07T15:00:00Z'), 60)).toBe(true); // 16:00–17:00 local
    expect(fitsAvailability(lagos, at('2026-12-07T07:45:00Z'), 60)).toBe(false); // starts 08:45 local
    expect(fitsAvailability(lagos, at('2026-12-07T15:15:00Z'), 60)).toBe(false); // ends 17:15 local
    expect(fitsAvailability(lagos, at('2026-12-08T08:00:00Z'), 60)).toBe(false); // a Tuesday
  });

  it('across midnight when both days’ windows cover their part', () => {
    const late = hours('UTC', [
      { day: 'MON', start: '22:00', end: '24:00' },
      { day: 'TUE', start: '00:00', end: '02:00' },
    ]);
    expect(fitsAvailability(late, at('2026-12-07T23:00:00Z'), 120)).toBe(true);
    expect(fitsAvailability(late, at('2026-12-07T23:00:00Z'), 180)).toBe(true); // until 02:00 exactly
    expect(fitsAvailability(late, at('2026-12-07T23:15:00Z'), 180)).toBe(false); // until 02:15
    const mondayOnly = hours('UTC', [{ day: 'MON', start: '22:00', end: '24:00' }]);
    expect(fitsAvailability(mondayOnly, at('2026-12-07T23:00:00Z'), 60)).toBe(true);
    expect(fitsAvailability(mondayOnly, at('2026-12-07T23:00:00Z'), 90)).toBe(false);
  });

  it('up to a 24:00 end', () => {
    const evening = hours('UTC', [{ day: 'SUN', start: '23:00', end: '24:00' }]);
    expect(fitsAvailability(evening, at('2026-12-06T23:45:00Z'), 15)).toBe(true);
    expect(fitsAvailability(evening, at('2026-12-06T23:00:00Z'), 60)).toBe(true);
    expect(fitsAvailability(evening, at('2026-12-06T23:45:00Z'), 30)).toBe(false);
  });

  it('never runs a block past a window that ends off the quarter hour', () => {
    const odd = hours('UTC', [{ day: 'MON', start: '09:10', end: '09:50' }]);
    expect(fitsAvailability(odd, at('2026-12-07T09:15:00Z'), 30)).toBe(true); // 09:15–09:45
    expect(fitsAvailability(odd, at('2026-12-07T09:00:00Z'), 15)).toBe(false); // starts before 09:10
    expect(fitsAvailability(odd, at('2026-12-07T09:45:00Z'), 15)).toBe(false); // would end 10:00
  });

  it('never, for a tutor who has set no hours', () => {
    expect(fitsAvailability(hours('UTC', []), at('2026-12-07T10:00:00Z'), 15)).toBe(false);
    expect(blockChecker(hours('UTC', []))(Date.parse('2026-12-07T10:00:00Z'))).toBe(false);
  });

  describe('on DST days, by the local clock', () => {
    it('America/New_York, spring forward (2026-03-08, 02:00 → 03:00): the skipped hour has no blocks', () => {
      const ny = hours('America/New_York', [{ day: 'SUN', start: '01:00', end: '04:00' }]);
      // 06:00Z is 01:00 EST; 07:00Z is already 03:00 EDT; 08:00Z is 04:00 EDT.
      expect(localTime(at('2026-03-08T06:45:00Z'), 'America/New_York')).toEqual({ day: 'SUN', minute: 105 });
      expect(localTime(at('2026-03-08T07:00:00Z'), 'America/New_York')).toEqual({ day: 'SUN', minute: 180 });
      expect(fitsAvailability(ny, at('2026-03-08T06:00:00Z'), 120)).toBe(true); // 01:00 → 04:00 local, two real hours
      expect(fitsAvailability(ny, at('2026-03-08T06:00:00Z'), 135)).toBe(false);
      // A window inside the skipped hour offers nothing that day, and four blocks a week later.
      const gap = tutor('America/New_York', [{ day: 'SUN', start: '02:00', end: '03:00' }]);
      expect(freeSlots(gap, { from: at('2026-03-08T00:00:00Z'), to: at('2026-03-09T00:00:00Z'), durationMinutes: 15 }, new Set(), LONG_AGO)).toEqual([]);
      expect(starts(freeSlots(gap, { from: at('2026-03-15T00:00:00Z'), to: at('2026-03-16T00:00:00Z'), durationMinutes: 15 }, new Set(), LONG_AGO))).toEqual([
        '06:00',
        '06:15',
        '06:30',
        '06:45',
      ]);
    });

    it('America/New_York: 09:00 local is 14:00Z before the change and 13:00Z after it', () => {
      const morning = tutor('America/New_York', [{ day: 'SUN', start: '09:00', end: '10:00' }]);
      const day = (d: string) => starts(freeSlots(morning, { from: at(`${d}T00:00:00Z`), to: at(`${d}T23:59:00Z`), durationMinutes: 60 }, new Set(), LONG_AGO));
      expect(day('2026-03-01')).toEqual(['14:00']);
      expect(day('2026-03-15')).toEqual(['13:00']);
    });

    it('America/New_York, fall back (2026-11-01, 02:00 → 01:00): the repeated hour has twice the blocks', () => {
      const ny = tutor('America/New_York', [{ day: 'SUN', start: '01:00', end: '02:00' }]);
      expect(localTime(at('2026-11-01T05:30:00Z'), 'America/New_York')).toEqual({ day: 'SUN', minute: 90 });
      expect(localTime(at('2026-11-01T06:30:00Z'), 'America/New_York')).toEqual({ day: 'SUN', minute: 90 });
      const slots = freeSlots(ny, { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z'), durationMinutes: 15 }, new Set(), LONG_AGO);
      expect(slots).toHaveLength(8); // 05:00Z–07:00Z
      expect(fitsAvailability(ny, at('2026-11-01T05:00:00Z'), 120)).toBe(true);
    });

    it('Europe/London, fall back (2026-10-25, 02:00 BST → 01:00 GMT) and spring forward (2026-03-29)', () => {
      const london = tutor('Europe/London', [{ day: 'SUN', start: '01:00', end: '02:00' }]);
      const day = (d: string) => starts(freeSlots(london, { from: at(`${d}T00:00:00Z`), to: at(`${d}T12:00:00Z`), durationMinutes: 15 }, new Set(), LONG_AGO));
      expect(day('2026-10-25')).toEqual(['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45']);
      expect(day('2026-11-01')).toEqual(['01:00', '01:15', '01:30', '01:45']);
      expect(day('2026-03-29')).toEqual([]); // 01:00 GMT became 02:00 BST
      expect(day('2026-04-05')).toEqual(['00:00', '00:15', '00:30', '00:45']); // 01:00 BST
    });
  });
});

describe('Free slots', () => {
  const allWeek = WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));
  const range = { from: at('2026-12-07T09:00:00Z'), to: at('2026-12-07T13:00:00Z'), durationMinutes: 60 };

  it('are every quarter hour inside the hours, ending at the start of the range’s last hour', () => {
    const slots = freeSlots(tutor('UTC', [{ day: 'MON', start: '09:00', end: '12:00' }]), range, new Set(), LONG_AGO);
    expect(starts(slots)).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30', '10:45', '11:00']);
    expect(slots[0]).toEqual({ start: '2026-12-07T09:00:00.000Z', end: '2026-12-07T10:00:00.000Z' });
  });

  it('leave out held blocks, and keep the buffer after a booking free on both sides', () => {
    // A 60-minute booking at 10:00 with a 15-minute buffer holds 10:00–11:15.
    const held = new Set(['10:00', '10:15', '10:30', '10:45', '11:00'].map((t) => `2026-12-07T${t}:00.000Z`));
    const noBuffer = freeSlots(tutor('UTC', allWeek), range, held, LONG_AGO);
    expect(starts(noBuffer)).toEqual(['09:00', '11:15', '11:30', '11:45', '12:00', '12:15', '12:30', '12:45']);
    const buffered = freeSlots(tutor('UTC', allWeek, { bufferMinutes: 15 }), range, held, LONG_AGO);
    // 09:00 would hold 09:00–10:15 (its own buffer runs into the booking); 08:45 would not, but is before the range.
    expect(starts(buffered)).toEqual(['11:15', '11:30', '11:45', '12:00', '12:15', '12:30', '12:45']);
  });

  it('start no earlier than the minimum notice, on the grid', () => {
    const now = at('2026-12-07T09:50:00Z');
    const slots = freeSlots(tutor('UTC', allWeek, { minimumNoticeMinutes: 60 }), range, new Set(), now);
    expect(starts(slots)[0]).toBe('11:00'); // 10:50 rounded up to the grid
  });

  it('stop at the horizon, start at the grid after `from`, and are none for a tutor with no hours', () => {
    expect(starts(freeSlots(tutor('UTC', allWeek), range, new Set(), LONG_AGO, at('2026-12-07T09:30:00Z')))).toEqual(['09:00', '09:15', '09:30']);
    expect(starts(freeSlots(tutor('UTC', allWeek), { ...range, from: at('2026-12-07T09:01:00Z') }, new Set(), LONG_AGO))[0]).toBe('09:15');
    expect(freeSlots(tutor('UTC', []), range, new Set(), LONG_AGO)).toEqual([]);
  });
});
