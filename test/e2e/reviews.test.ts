/**
 * Reviews on the local stack: only the session's student, only once it is COMPLETED, once.
 * Sessions booked for the earliest slot (the tutors' 15-minute notice) are reminded, started
 * and completed by the timeline as the test fires their schedules. Concurrent reviews
 * of one session leave one review and a rating count one higher.
 */
import { useLocalStack, slotIn } from '../support/local-stack';
import { book, bookAndPay, gridIn, putTutor, runTimelineUntil, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'reviews');
/** A tutor with no reviews yet, for the 8-way race. */
const NEW_TUTOR = `${u.ada}-newcomer`;
/** Paid 30-minute sessions starting soon, which the workflow completes during the file. */
const soon: Record<'ada' | 'tunde' | 'newcomer', string> = { ada: '', tunde: '', newcomer: '' };

beforeAll(async () => {
  await putTutor(stack, NEW_TUTOR, {
    displayName: 'New Tutor',
    hourlyRate: { amount: 300_000, currency: 'NGN' },
    durations: [30, 60],
    bookingModes: ['INSTANT', 'REQUEST'],
    availability: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
  // One tutor each, so the three can share the earliest slot.
  const start = gridIn(16);
  const pay = (student: string, tutorId: string) => bookAndPay(stack, student, { tutorId, scheduledAt: start, durationMinutes: 30 }, { meeting: false });
  const [a, t, n] = await Promise.all([pay(u.bola, u.ada), pay(u.chidi, u.tunde), pay(u.bola, NEW_TUTOR)]);
  Object.assign(soon, { ada: a.session.id, tunde: t.session.id, newcomer: n.session.id });
}, 120_000);

const review = (id: string, as: string, body: unknown = { rating: 5, comment: 'Very helpful' }) => stack.api('POST', `/sessions/${id}/review`, { as, body });
const profile = async (tutorId: string) => (await stack.api('GET', `/tutors/${tutorId}`, { as: u.bola })).body;
const completed = (id: string, student: string) => runTimelineUntil(stack, id, student, (s) => s.status === 'COMPLETED');

describe('Before the session is COMPLETED', () => {
  it('refuses a review with 409 INVALID_STATE, for a paid upcoming session and for an open request', async () => {
    const { session } = await bookAndPay(stack, u.chidi, { tutorId: u.ada, scheduledAt: slotIn(10, 9) }, { meeting: false });
    const request = await book(stack, u.chidi, { tutorId: u.tunde, scheduledAt: slotIn(10, 9), bookingMode: 'REQUEST' });
    for (const id of [session.id, request.body.session.id]) {
      const res = await review(id, u.chidi);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INVALID_STATE');
    }
    expect((await profile(u.ada)).recentReviews.map((r: { sessionId: string }) => r.sessionId)).not.toContain(session.id);
  });
});

describe('After the session is COMPLETED', () => {
  it("takes the student's review (201) and the tutor's profile shows it with the new count and average", async () => {
    await completed(soon.ada, u.bola);
    const before = await profile(u.ada);
    const res = await review(soon.ada, u.bola, { rating: 4, comment: 'Clear and patient' });
    expect(res.status).toBe(201);
    const count = before.ratingCount + 1;
    // The sum of the ratings before, recovered from the average shown (rounded to two places).
    const average = Math.round(((Math.round((before.ratingAverage ?? 0) * before.ratingCount) + 4) / count) * 100) / 100;
    expect(res.body).toEqual({
      review: expect.objectContaining({ sessionId: soon.ada, rating: 4, comment: 'Clear and patient', studentId: u.bola }),
      tutor: { id: u.ada },
    });

    const after = await profile(u.ada);
    expect(after).toMatchObject({ ratingCount: count, ratingAverage: average });
    expect(after.recentReviews).toEqual(expect.arrayContaining([expect.objectContaining({ sessionId: soon.ada, rating: 4, comment: 'Clear and patient' })]));

    const again = await review(soon.ada, u.bola, { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    expect(await profile(u.ada)).toMatchObject({ ratingCount: count, ratingAverage: average });
  });

  it('answers 403 to anyone who is not a student, 404 to another student, 400 to a bad rating', async () => {
    await completed(soon.tunde, u.chidi);
    const before = await profile(u.tunde);
    for (const who of [u.tunde, u.admin]) {
      const res = await review(soon.tunde, who);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await review(soon.tunde, u.bola)).status).toBe(404);
    for (const body of [{ rating: 6 }, { rating: 0 }, { rating: 4.5 }, {}, { rating: 5, stars: 5 }]) {
      const res = await review(soon.tunde, u.chidi, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await profile(u.tunde)).ratingCount).toBe(before.ratingCount);
  });

  it('takes exactly one of two concurrent reviews of one session: 201 and 409, the count one higher', async () => {
    await completed(soon.tunde, u.chidi);
    const before = await profile(u.tunde);
    const results = await Promise.all([review(soon.tunde, u.chidi, { rating: 5 }), review(soon.tunde, u.chidi, { rating: 2 })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('INVALID_STATE');
    const winner = results.find((r) => r.status === 201)!.body.review.rating;
    const after = await profile(u.tunde);
    expect(after.ratingCount).toBe(before.ratingCount + 1);
    expect(after.recentReviews.filter((r: { sessionId: string }) => r.sessionId === soon.tunde).map((r: { rating: number }) => r.rating)).toEqual([winner]);
  });

  it("takes exactly one of eight concurrent reviews: the count goes from 0 to 1 and the average is the winner's rating", async () => {
    await completed(soon.newcomer, u.bola);
    expect(await profile(NEW_TUTOR)).toMatchObject({ ratingCount: 0, ratingAverage: null });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => review(soon.newcomer, u.bola, { rating: (i % 5) + 1 })));
    const won = results.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    const lost = results.filter((r) => r.status !== 201);
    expect(lost.every((r) => r.status === 409 && r.body.error.code === 'INVALID_STATE')).toBe(true);
    const rating = won[0]!.body.review.rating;
    const after = await profile(NEW_TUTOR);
    expect(after).toMatchObject({ ratingCount: 1, ratingAverage: rating });
    expect(after.recentReviews.map((r: { sessionId: string; rating: number }) => [r.sessionId, r.rating])).toEqual([[soon.newcomer, rating]]);
  });
});
