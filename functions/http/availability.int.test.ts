/**
 * Availability, buffers and the slots listing, called as API Gateway calls them, against
 * DynamoDB Local: a booking outside the tutor's hours is 409 SLOT_UNAVAILABLE, the buffer
 * after a booking is held like the booking itself, and GET /tutors/{id}/slots lists what is
 * left of the tutor's hours.
 */
import { handler as createSession } from './createSession';
import { handler as rejectSession } from './rejectSession';
import { handler as listTutorSlots } from './listTutorSlots';
import { WEEKDAYS } from '../../shared/domain/availability';
import type { TutorProfile } from '../../shared/schemas/tutor';
import { useTestTable } from '../../test/support/table';
import { call, caller, type TestCaller } from '../../test/support/http';
import { givenTutor } from '../../test/support/fixtures';
import { useLocalWorkflow } from '../../test/support/workflow';
import { useTableStreams } from '../../test/support/streams';
import { usePaystackEmulator } from '../../test/support/paystack';

// Bookings start workflow executions; at real speed they simply wait during these tests.
useLocalWorkflow({ timeScale: 1 });
useTableStreams();
useTestTable();
usePaystackEmulator();

const SLOTS = 'GET /tutors/{tutorId}/slots';
const H = 3_600_000;

/** A day `days` from now at 00:00 UTC, and its weekday. */
const dayIn = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(0, 0, 0, 0);
  return { at: (hhmm: string) => new Date(`${d.toISOString().slice(0, 10)}T${hhmm}:00.000Z`).toISOString(), weekday: WEEKDAYS[(d.getUTCDay() + 6) % 7]!, date: d };
};

let n = 0;
const parties = async (over: Partial<TutorProfile> = {}) => {
  n += 1;
  const tutorId = `av-tutor-${n}`;
  await givenTutor(tutorId, over);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`av-student-${n}`, 'student'), other: caller(`av-other-${n}`, 'student') };
};

const book = (who: TestCaller, tutorId: string, scheduledAt: string, durationMinutes = 60) =>
  call(createSession, 'POST /sessions', { as: who, body: { tutorId, scheduledAt, durationMinutes, title: 'Hours', bookingMode: 'REQUEST' } });

const slots = (who: TestCaller, tutorId: string, query: Record<string, string>) => call(listTutorSlots, SLOTS, { as: who, pathParameters: { tutorId }, query });
const startsOf = (res: { body: { items: { start: string }[] } }) => res.body.items.map((s) => s.start.slice(11, 16));

describe('Booking against the tutor’s availability', () => {
  it('is 201 inside the hours (in the tutor’s time zone) and 409 SLOT_UNAVAILABLE outside them', async () => {
    const day = dayIn(5);
    const { tutorId, student } = await parties({ timezone: 'Africa/Lagos', availability: [{ day: day.weekday, start: '09:00', end: '12:00' }] });
    // 09:00–12:00 in Lagos is 08:00–11:00 UTC
    const outside = await book(student, tutorId, day.at('10:30'));
    expect(outside.status).toBe(409);
    expect(outside.body.error).toMatchObject({ code: 'SLOT_UNAVAILABLE', message: expect.stringContaining('Africa/Lagos') });
    expect((await book(student, tutorId, day.at('07:45'))).status).toBe(409);
    expect((await book(student, tutorId, day.at('08:00'))).status).toBe(201);
    expect((await book(student, tutorId, day.at('10:00'))).status).toBe(201);
  });

  it('is 409 at any time for a tutor who has set no hours', async () => {
    const { tutorId, student } = await parties({ availability: [] });
    const res = await book(student, tutorId, dayIn(5).at('10:00'));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await slots(student, tutorId, { from: dayIn(5).at('00:00'), to: dayIn(6).at('00:00'), durationMinutes: '60' })).body.items).toEqual([]);
  });
});

describe('A tutor’s buffer', () => {
  it('refuses a booking back to back with another, and allows one a buffer apart, on both sides', async () => {
    const day = dayIn(6);
    const { tutorId, student, other } = await parties({ bufferMinutes: 15 });
    expect((await book(student, tutorId, day.at('10:00'))).status).toBe(201);
    const after = await book(other, tutorId, day.at('11:00'));
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book(other, tutorId, day.at('09:00'))).status).toBe(409); // its own buffer runs to 10:15
    expect((await book(other, tutorId, day.at('11:15'))).status).toBe(201);
    expect((await book(caller(`av-third-${n}`, 'student'), tutorId, day.at('08:45'))).status).toBe(201);
  });

  it('is released with the booking (a rejection frees the buffer blocks too)', async () => {
    const day = dayIn(6);
    const { tutorId, tutor, student, other } = await parties({ bufferMinutes: 30 });
    const first = await book(student, tutorId, day.at('10:00'));
    expect(first.body.session.bufferMinutes).toBe(30);
    expect((await book(other, tutorId, day.at('11:15'))).status).toBe(409);
    const rejected = await call(rejectSession, 'POST /sessions/{sessionId}/reject', { as: tutor, pathParameters: { sessionId: first.body.session.id }, body: { reason: 'Busy' } });
    expect(rejected.status).toBe(200);
    expect((await book(other, tutorId, day.at('11:00'))).status).toBe(201);
  });
});

describe('GET /tutors/{tutorId}/slots', () => {
  it('lists free starts on the 15-minute grid: inside the hours, not held, buffer kept, with the time zone', async () => {
    const day = dayIn(7);
    const { tutorId, student } = await parties({ timezone: 'Africa/Lagos', bufferMinutes: 15, availability: [{ day: day.weekday, start: '09:00', end: '13:00' }] });
    expect((await book(student, tutorId, day.at('09:00'))).status).toBe(201); // 10:00 Lagos; holds 09:00–10:15 UTC
    const res = await slots(student, tutorId, { from: day.at('00:00'), to: dayIn(8).at('00:00'), durationMinutes: '60' });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Africa/Lagos');
    // Hours 08:00–12:00 UTC. 08:00 would hold until 09:15 (its buffer meets the booking); free from 10:15.
    expect(startsOf(res)).toEqual(['10:15', '10:30', '10:45', '11:00']);
    expect(res.body.items[0]).toEqual({ start: day.at('10:15'), end: day.at('11:15') });
    // Every listed start can be booked.
    expect((await book(caller(`av-x-${n}`, 'student'), tutorId, day.at('11:00'))).status).toBe(201);
    expect(startsOf(await slots(student, tutorId, { from: day.at('00:00'), to: dayIn(8).at('00:00'), durationMinutes: '60' }))).toEqual([]);
    expect(startsOf(await slots(student, tutorId, { from: day.at('00:00'), to: dayIn(8).at('00:00'), durationMinutes: '30' }))).toEqual(['08:00', '08:15', '10:15']);
  });

  it('starts no earlier than the tutor’s minimum notice', async () => {
    const { tutorId, student } = await parties({ minimumNoticeMinutes: 180 });
    const now = Date.now();
    const res = await slots(student, tutorId, { from: new Date(now).toISOString(), to: new Date(now + 6 * H).toISOString(), durationMinutes: '30' });
    expect(res.status).toBe(200);
    const first = Date.parse(res.body.items[0].start);
    expect(first).toBeGreaterThanOrEqual(now + 3 * H);
    expect(first).toBeLessThan(now + 3 * H + 15 * 60_000);
    expect(first % (15 * 60_000)).toBe(0);
    // Without the notice's first three hours, six hours are (6 - 3) × 4 starts, less the last 30 minutes' worth.
    expect(res.body.items.length).toBeGreaterThanOrEqual(10);
    expect(res.body.items.length).toBeLessThanOrEqual(12);
  });

  it('refuses a range over 14 days, a range that ends first, a duration the tutor does not offer, and unknown fields (400)', async () => {
    const { tutorId, student } = await parties();
    const from = dayIn(1).at('00:00');
    const cases: [Record<string, string>, string][] = [
      [{ from, to: dayIn(16).at('00:00'), durationMinutes: '60' }, 'query.to'],
      [{ from, to: from, durationMinutes: '60' }, 'query.to'],
      [{ from, to: dayIn(2).at('00:00'), durationMinutes: '45' }, 'query.durationMinutes'],
      [{ from, to: dayIn(2).at('00:00'), durationMinutes: '20' }, 'query.durationMinutes'],
      [{ from: 'tomorrow', to: dayIn(2).at('00:00'), durationMinutes: '60' }, 'query.from'],
      [{ from, to: dayIn(2).at('00:00'), durationMinutes: '60', tz: 'UTC' }, 'query'],
    ];
    for (const [query, path] of cases) {
      const res = await slots(student, tutorId, query);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect((await slots(student, tutorId, { from, to: dayIn(15).at('00:00'), durationMinutes: '90' })).status).toBe(200);
  });

  it('is 404 for an unknown tutor and 401 without a token', async () => {
    const query = { from: dayIn(1).at('00:00'), to: dayIn(2).at('00:00'), durationMinutes: '60' };
    expect((await slots(caller('av-s', 'student'), 'nobody', query)).status).toBe(404);
    expect((await call(listTutorSlots, SLOTS, { pathParameters: { tutorId: 'nobody' }, query })).status).toBe(401);
  });
});
