/**
 * Reviews on the local stack: only the session's student, only once it is COMPLETED, once.
 * Time runs 300× (LOCAL_TIME_SCALE), so sessions booked for the earliest slot (the demo
 * tutors' 15-minute notice) are reminded, started and completed by the workflow on their own
 * within seconds: (time until the start + 30 minutes) / 300. Concurrent reviews of one
 * session (the race of issue 7) leave one review and a rating count one higher.
 */
import { bootLocalStack, slotIn, type RunningStack } from '../support/local-stack';
import { book, bookAndPay, gridIn, putTutor, sessionWhen } from '../support/e2e';

let stack: RunningStack;
/** A tutor with no reviews yet, for the 8-way race. */
const NEW_TUTOR = 'tutor-newcomer';
/** Paid 30-minute sessions starting soon, which the workflow completes during the file. */
const soon: Record<'ada' | 'tunde' | 'newcomer', string> = { ada: '', tunde: '', newcomer: '' };

beforeAll(async () => {
  stack = await bootLocalStack({ LOCAL_TIME_SCALE: '300' });
  await putTutor(stack, NEW_TUTOR, {
    displayName: 'New Tutor',
    hourlyRate: { amount: 300_000, currency: 'NGN' },
    durations: [30, 60],
    bookingModes: ['INSTANT', 'REQUEST'],
    availability: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'].map((day) => ({ day, start: '00:00', end: '24:00' })),
  });
  // One tutor each, so the three can share the earliest slot; paid at once (the payment
  // window runs 300× faster too).
  const start = gridIn(16);
  const pay = (student: string, tutorId: string) => bookAndPay(stack, student, { tutorId, scheduledAt: start, durationMinutes: 30 }, { meeting: false });
  const [a, t, n] = await Promise.all([pay('student-bola', 'tutor-ada'), pay('student-chidi', 'tutor-tunde'), pay('student-bola', NEW_TUTOR)]);
  Object.assign(soon, { ada: a.session.id, tunde: t.session.id, newcomer: n.session.id });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const review = (id: string, as: string, body: unknown = { rating: 5, comment: 'Very helpful' }) => stack.api('POST', `/sessions/${id}/review`, { as, body });
const profile = async (tutorId: string) => (await stack.api('GET', `/tutors/${tutorId}`, { as: 'student-bola' })).body;
const completed = (id: string, student: string) => sessionWhen(stack, id, student, (s) => s.status === 'COMPLETED', 45_000);

describe('Before the session is COMPLETED', () => {
  it('refuses a review with 409 INVALID_STATE, for a paid upcoming session and for an open request', async () => {
    const { session } = await bookAndPay(stack, 'student-chidi', { tutorId: 'tutor-ada', scheduledAt: slotIn(10, 9) }, { meeting: false });
    const request = await book(stack, 'student-chidi', { tutorId: 'tutor-tunde', scheduledAt: slotIn(10, 9), bookingMode: 'REQUEST' });
    for (const id of [session.id, request.body.session.id]) {
      const res = await review(id, 'student-chidi');
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('INVALID_STATE');
    }
    expect((await profile('tutor-ada')).recentReviews.map((r: { sessionId: string }) => r.sessionId)).not.toContain(session.id);
  });
});

describe('After the session is COMPLETED', () => {
  it("takes the student's review (201) and the tutor's profile shows it with the new count and average", async () => {
    await completed(soon.ada, 'student-bola');
    const before = await profile('tutor-ada');
    const res = await review(soon.ada, 'student-bola', { rating: 4, comment: 'Clear and patient' });
    expect(res.status).toBe(201);
    const count = before.ratingCount + 1;
    const average = Math.round((((before.ratingAverage ?? 0) * before.ratingCount + 4) / count) * 100) / 100;
    expect(res.body).toMatchObject({ review: { sessionId: soon.ada, rating: 4, comment: 'Clear and patient', studentId: 'student-bola' }, tutor: { id: 'tutor-ada', ratingCount: count, ratingAverage: average } });

    const after = await profile('tutor-ada');
    expect(after).toMatchObject({ ratingCount: count, ratingAverage: average });
    expect(after.recentReviews).toEqual(expect.arrayContaining([expect.objectContaining({ sessionId: soon.ada, rating: 4, comment: 'Clear and patient' })]));

    const again = await review(soon.ada, 'student-bola', { rating: 1 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    expect(await profile('tutor-ada')).toMatchObject({ ratingCount: count, ratingAverage: average });
  });

  it('answers 403 to anyone who is not a student, 404 to another student, 400 to a bad rating', async () => {
    await completed(soon.tunde, 'student-chidi');
    const before = await profile('tutor-tunde');
    for (const who of ['tutor-tunde', 'admin-zainab']) {
      const res = await review(soon.tunde, who);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await review(soon.tunde, 'student-bola')).status).toBe(404);
    for (const body of [{ rating: 6 }, { rating: 0 }, { rating: 4.5 }, {}, { rating: 5, stars: 5 }]) {
      const res = await review(soon.tunde, 'student-chidi', body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await profile('tutor-tunde')).ratingCount).toBe(before.ratingCount);
  });

  it('takes exactly one of two concurrent reviews of one session: 201 and 409, the count one higher', async () => {
    await completed(soon.tunde, 'student-chidi');
    const before = await profile('tutor-tunde');
    const results = await Promise.all([review(soon.tunde, 'student-chidi', { rating: 5 }), review(soon.tunde, 'student-chidi', { rating: 2 })]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('INVALID_STATE');
    const winner = results.find((r) => r.status === 201)!.body.review.rating;
    const after = await profile('tutor-tunde');
    expect(after.ratingCount).toBe(before.ratingCount + 1);
    expect(after.recentReviews.filter((r: { sessionId: string }) => r.sessionId === soon.tunde).map((r: { rating: number }) => r.rating)).toEqual([winner]);
  });

  it('takes exactly one of eight concurrent reviews: the count goes from 0 to 1 and the average is the winner\'s rating', async () => {
    await completed(soon.newcomer, 'student-bola');
    expect(await profile(NEW_TUTOR)).toMatchObject({ ratingCount: 0, ratingAverage: null });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => review(soon.newcomer, 'student-bola', { rating: (i % 5) + 1 })));
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
