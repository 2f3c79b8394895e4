/**
 * A tutor's free start times on the local stack (GET /tutors/{tutorId}/slots): weekly windows
 * in the tutor's own IANA time zone (Asia/Kolkata, UTC+05:30, so a wrong conversion shows as
 * a half-hour shift), a minimum notice and a buffer after each booking; a booking takes its
 * range and its buffer out of the list; bookings outside the windows and bad queries are
 * refused.
 */
import { DateTime } from 'luxon';
import { useLocalStack } from '../support/local-stack';
import { book, putTutor, useE2eUsers } from '../support/e2e';

const ZONE = 'Asia/Kolkata';
/** Windows on one weekday (local): 09:00–13:00 and 15:00–17:00; a 30-minute buffer. */
const TUTOR = 'tutor-kolkata';
/** All day, every day, with a two-hour notice. */
const NOTICE_TUTOR = 'tutor-notice';
const WEEK = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

const stack = useLocalStack();
const u = useE2eUsers(stack, 'slots');
/** The tutor's working day, four days ahead, as a local date (yyyy-mm-dd). */
const day = DateTime.now().setZone(ZONE).plus({ days: 4 }).toISODate()!;
/** `hh:mm` on that day in Kolkata, as the API's UTC instant. */
const at = (hhmm: string) => DateTime.fromISO(`${day}T${hhmm}`, { zone: ZONE }).toUTC().toISO({ suppressMilliseconds: false })!;
/** Local `hh:mm` of a UTC instant. */
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('HH:mm');
/** Every 15 minutes from `first` to `last` (local, inclusive). */
const every15 = (first: string, last: string) => {
  const out: string[] = [];
  for (let t = DateTime.fromISO(`${day}T${first}`); t <= DateTime.fromISO(`${day}T${last}`); t = t.plus({ minutes: 15 })) out.push(t.toFormat('HH:mm'));
  return out;
};

beforeAll(async () => {
  const weekday = WEEK[DateTime.fromISO(day, { zone: ZONE }).weekday - 1]!;
  const base = { hourlyRate: { amount: 600_000, currency: 'NGN' }, durations: [30, 60], bookingModes: ['INSTANT', 'REQUEST'], timezone: ZONE };
  await putTutor(stack, TUTOR, {
    ...base,
    displayName: 'Kolkata Tutor',
    availability: [
      { day: weekday, start: '09:00', end: '13:00' },
      { day: weekday, start: '15:00', end: '17:00' },
    ],
    minimumNoticeMinutes: 60,
    bufferMinutes: 30,
  });
  await putTutor(stack, NOTICE_TUTOR, {
    ...base,
    displayName: 'Notice Tutor',
    availability: WEEK.map((d) => ({ day: d, start: '00:00', end: '24:00' })),
    minimumNoticeMinutes: 120,
  });
}, 120_000);

afterAll(async () => {});

const slots = (tutorId: string, query: Record<string, string | number>) =>
  stack.api('GET', `/tutors/${tutorId}/slots?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`, { as: u.bola });
/** The day's free starts for `durationMinutes`, as local times. */
const dayStarts = async (durationMinutes: number) => {
  const res = await slots(TUTOR, { from: at('00:00'), to: DateTime.fromISO(at('00:00')).plus({ days: 1 }).toUTC().toISO()!, durationMinutes });
  expect(res.status).toBe(200);
  expect(res.body.timezone).toBe(ZONE);
  for (const s of res.body.items) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(durationMinutes * 60_000);
  return res.body.items.map((s: { start: string }) => local(s.start));
};

describe("A tutor's weekly windows in their own time zone", () => {
  it('list every start whose session fits a window, on the 15-minute grid, in UTC', async () => {
    expect(await dayStarts(60)).toEqual([...every15('09:00', '12:00'), ...every15('15:00', '16:00')]);
    expect(await dayStarts(30)).toEqual([...every15('09:00', '12:30'), ...every15('15:00', '16:30')]);
    const first = (await slots(TUTOR, { from: at('00:00'), to: at('23:45'), durationMinutes: 60 })).body.items[0];
    // 09:00 in Kolkata is 03:30 UTC.
    expect(first).toEqual({ start: `${day}T03:30:00.000Z`, end: `${day}T04:30:00.000Z` });
  });

  it('refuse a booking outside the windows with 409 SLOT_UNAVAILABLE', async () => {
    for (const hhmm of ['08:45', '12:30', '13:00', '14:15', '16:15', '20:00']) {
      const res = await book(stack, u.chidi, { tutorId: TUTOR, scheduledAt: at(hhmm), durationMinutes: 60 });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('SLOT_UNAVAILABLE');
    }
  });

  it("lose a booking's range and the buffer after it, and every start whose own buffer would reach into it", async () => {
    const booked = await book(stack, u.bola, { tutorId: TUTOR, scheduledAt: at('10:00'), durationMinutes: 60 });
    expect(booked.status).toBe(201);
    // Held: 10:00–11:30 (the hour and 30 minutes of buffer). A 60-minute start s needs
    // s .. s+90 free: 09:00 (ends into it with its buffer) to 11:15 (inside the buffer) go.
    expect(await dayStarts(60)).toEqual([...every15('11:30', '12:00'), ...every15('15:00', '16:00')]);
    // A 30-minute session at 09:00 ends 09:30, its buffer 10:00: it still fits.
    expect(await dayStarts(30)).toEqual(['09:00', ...every15('11:30', '12:30'), ...every15('15:00', '16:30')]);
    // What the list no longer offers cannot be booked: inside the buffer after the booking.
    const inBuffer = await book(stack, u.chidi, { tutorId: TUTOR, scheduledAt: at('11:15'), durationMinutes: 30 });
    expect(inBuffer.status).toBe(409);
    expect(inBuffer.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(stack, u.chidi, { tutorId: TUTOR, scheduledAt: at('11:30'), durationMinutes: 60 })).status).toBe(201);
  });
});

describe('The minimum notice', () => {
  it('leaves out every start sooner than the notice, and such a booking is refused', async () => {
    const now = Date.now();
    const res = await slots(NOTICE_TUTOR, { from: new Date(now).toISOString(), to: new Date(now + 6 * 3_600_000).toISOString(), durationMinutes: 60 });
    expect(res.status).toBe(200);
    const earliest = Math.ceil((now + 120 * 60_000) / 900_000) * 900_000;
    const first = Date.parse(res.body.items[0].start);
    // The request reached the server a moment after `now`: at most one grid step later.
    expect([earliest, earliest + 900_000]).toContain(first);
    expect(res.body.items.every((s: { start: string }) => Date.parse(s.start) >= now + 120 * 60_000)).toBe(true);
    const tooSoon = await book(stack, u.bola, { tutorId: NOTICE_TUTOR, scheduledAt: new Date(earliest - 30 * 60_000).toISOString() });
    expect(tooSoon.status).toBe(400);
    expect(tooSoon.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('A bad slots query', () => {
  it('gets 400 VALIDATION_FAILED', async () => {
    const from = at('00:00');
    const plus = (days: number) => DateTime.fromISO(from).plus({ days }).toUTC().toISO()!;
    const bad: Record<string, string | number>[] = [
      { from: plus(1), to: from, durationMinutes: 60 }, // to before from
      { from, to: from, durationMinutes: 60 }, // empty range
      { from, to: plus(15), durationMinutes: 60 }, // more than 14 days
      { from, to: plus(1), durationMinutes: 50 }, // off the 15-minute grid
      { from, to: plus(1), durationMinutes: 0 },
      { from, to: plus(1), durationMinutes: 'sixty' },
      { from, to: plus(1), durationMinutes: 90 }, // not a duration this tutor offers
      { from: 'tomorrow', to: plus(1), durationMinutes: 60 },
      { to: plus(1), durationMinutes: 60 },
      { from, to: plus(1), durationMinutes: 60, tz: 'UTC' }, // unknown parameter
    ];
    for (const query of bad) {
      const res = await slots(TUTOR, query);
      expect([res.status, res.body.error?.code, query]).toEqual([400, 'VALIDATION_FAILED', query]);
    }
    expect((await slots('tutor-nobody', { from, to: plus(1), durationMinutes: 60 })).status).toBe(404);
  });
});
