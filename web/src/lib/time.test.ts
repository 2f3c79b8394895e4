import { countdownText, durationLabel, formatDateTime, groupByLocalDay, initialZone, isLive, livePhase, localDay, nextDays, shortDuration, slotLabel, zoneToSave } from './time';

const session = (over: Partial<{ scheduledAt: string; durationMinutes: number; status: string }> = {}) => ({
  scheduledAt: '2026-12-01T10:00:00Z',
  durationMinutes: 60,
  status: 'SCHEDULED',
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('The countdown', () => {
  it('says "Starts in 2h 5m" two hours and five minutes before the start, rounding down', () => {
    expect(countdownText(session(), at('2026-12-01T07:55:00Z'))).toBe('Starts in 2h 5m');
    expect(countdownText(session(), at('2026-12-01T07:54:30Z'))).toBe('Starts in 2h 5m');
  });

  it('shows days and hours far ahead, minutes and seconds in the last hour, seconds in the last minute', () => {
    expect(countdownText(session(), at('2026-11-29T07:00:00Z'))).toBe('Starts in 2d 3h');
    expect(countdownText(session(), at('2026-12-01T09:54:30Z'))).toBe('Starts in 5m 30s');
    expect(countdownText(session(), at('2026-12-01T09:59:18Z'))).toBe('Starts in 42s');
  });

  it('drops a zero second unit instead of showing it ("2h", not "2h 0m")', () => {
    expect(countdownText(session(), at('2026-12-01T08:00:00Z'))).toBe('Starts in 2h');
    expect(shortDuration(24 * 3_600_000 + 5_000)).toBe('1d');
  });

  it('counts down to the end while live, then says the session ended', () => {
    expect(countdownText(session(), at('2026-12-01T10:25:00Z'))).toBe('Live now · ends in 35m');
    expect(countdownText(session(), at('2026-12-01T11:00:01Z'))).toBe('Ended');
    expect(countdownText(session({ status: 'COMPLETED' }), at('2026-12-01T10:30:00Z'))).toBe('Ended');
  });

  it('has nothing to count for a session that is not going ahead', () => {
    for (const status of ['PENDING_MENTOR_REVIEW', 'REJECTED', 'CANCELLED']) expect(countdownText(session({ status }), at('2026-12-01T09:00:00Z'))).toBeNull();
  });
});

describe('The live window', () => {
  it('opens at the start and closes at the end, both inclusive (as the API says isLive)', () => {
    const s = session();
    expect(isLive(s, at('2026-12-01T09:59:59.999Z'))).toBe(false);
    expect(isLive(s, at('2026-12-01T10:00:00Z'))).toBe(true);
    expect(isLive(s, at('2026-12-01T11:00:00Z'))).toBe(true);
    expect(isLive(s, at('2026-12-01T11:00:00.001Z'))).toBe(false);
  });

  it('is live while IN_PROGRESS too, and never for a request or a cancelled session', () => {
    expect(livePhase(session({ status: 'IN_PROGRESS' }), at('2026-12-01T10:30:00Z'))).toBe('live');
    expect(livePhase(session({ status: 'PENDING_MENTOR_REVIEW' }), at('2026-12-01T10:30:00Z'))).toBe('off');
    expect(livePhase(session({ status: 'CANCELLED' }), at('2026-12-01T10:30:00Z'))).toBe('off');
  });

  it('follows the duration: a 90-minute session is still live 80 minutes in', () => {
    expect(isLive(session({ durationMinutes: 90 }), at('2026-12-01T11:20:00Z'))).toBe(true);
    expect(isLive(session({ durationMinutes: 30 }), at('2026-12-01T11:20:00Z'))).toBe(false);
  });
});

describe('Times in the viewer’s zone', () => {
  const en = { locale: 'en-GB' };

  it('shows one instant in each viewer’s own zone, with the zone named', () => {
    expect(formatDateTime('2026-12-01T10:00:00Z', { zone: 'Africa/Lagos', ...en })).toBe('Tue, 1 Dec 2026, 11:00 GMT+1');
    expect(formatDateTime('2026-12-01T10:00:00Z', { zone: 'America/New_York', ...en })).toBe('Tue, 1 Dec 2026, 05:00 GMT-5');
    expect(formatDateTime('2026-12-01T10:00:00Z', { zone: 'Asia/Kolkata', ...en })).toBe('Tue, 1 Dec 2026, 15:30 GMT+5:30');
  });

  it('follows daylight saving time: the same UTC hour reads an hour apart in winter and summer', () => {
    expect(formatDateTime('2026-07-01T10:00:00Z', { zone: 'Europe/London', ...en })).toBe('Wed, 1 Jul 2026, 11:00 BST');
    expect(formatDateTime('2026-12-01T10:00:00Z', { zone: 'Europe/London', ...en })).toBe('Tue, 1 Dec 2026, 10:00 GMT');
  });

  it('names each free slot by its local day and time', () => {
    expect(slotLabel('2026-12-01T23:30:00Z', { zone: 'Africa/Lagos', ...en })).toBe('Wed 2 Dec, 00:30');
    expect(slotLabel('2026-12-01T23:30:00Z', { zone: 'UTC', ...en })).toBe('Tue 1 Dec, 23:30');
  });

  it('groups slots by the viewer’s local day, so a UTC evening slot lands on the next day east of UTC', () => {
    const slots = [{ start: '2026-12-02T09:00:00Z' }, { start: '2026-12-01T22:00:00Z' }, { start: '2026-12-01T23:30:00Z' }];
    expect(groupByLocalDay(slots, 'Africa/Lagos').map((g) => [g.day, g.slots.map((s) => s.start)])).toEqual([
      ['2026-12-01', ['2026-12-01T22:00:00Z']],
      ['2026-12-02', ['2026-12-01T23:30:00Z', '2026-12-02T09:00:00Z']],
    ]);
    expect(localDay('2026-12-01T23:30:00Z', 'America/New_York')).toBe('2026-12-01');
  });

  it('asks for the next 14 days of slots, exactly 14 × 24 hours', () => {
    const { from, to } = nextDays(at('2026-03-20T08:00:00Z'));
    expect(from).toBe('2026-03-20T08:00:00.000Z');
    expect(Date.parse(to) - Date.parse(from)).toBe(14 * 24 * 3_600_000);
  });

  it('writes lengths as hours and minutes', () => {
    expect([30, 60, 90, 240].map(durationLabel)).toEqual(['30 min', '1 h', '1 h 30 min', '4 h']);
  });
});

describe('initialZone', () => {
  it('offers the browser’s zone while the saved one is the API’s default (UTC), and keeps any other saved zone', () => {
    expect(initialZone('UTC', 'Africa/Lagos')).toBe('Africa/Lagos');
    expect(initialZone('Europe/London', 'Africa/Lagos')).toBe('Europe/London');
    expect(initialZone('UTC', '')).toBe('UTC');
  });
});

describe('zoneToSave', () => {
  it('saves the browser’s zone while no zone was ever saved', () => {
    expect(zoneToSave({ timeZone: 'UTC', timeZoneSet: false }, 'Africa/Lagos')).toBe('Africa/Lagos');
  });

  it('never overwrites a zone the user saved, UTC included', () => {
    expect(zoneToSave({ timeZone: 'UTC', timeZoneSet: true }, 'Africa/Lagos')).toBeNull();
    expect(zoneToSave({ timeZone: 'Europe/London', timeZoneSet: true }, 'Africa/Lagos')).toBeNull();
  });

  it('saves nothing when the browser names no zone', () => {
    expect(zoneToSave({ timeZone: 'UTC', timeZoneSet: false }, '')).toBeNull();
  });
});
