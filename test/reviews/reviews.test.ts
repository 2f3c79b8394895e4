/** Reviews: the student of a completed session, once; the tutor's rating kept in the same transaction. */
import { getItem, putItem } from '../../shared/data/ops';
import { TutorProfileEntity } from '../../shared/data/tutors';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as reviewHandler } from '../../functions/http/reviewSession';
import { handler as getTutor } from '../../functions/http/getTutor';
import { getSession, transitionSession } from '../../shared/data/sessions';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { timelineTargets, useTimeline } from '../support/timeline';
import { recordDdbCalls } from '../support/ddb-calls';

useLocalWorkflow({ timeScale: 1 });
useTimeline({ targets: timelineTargets() });
useTableStreams();
useTestTable();

const TUTOR = 'rv-tutor';
let n = 0;

beforeAll(async () => {
  await givenTutor(TUTOR);
});

/** A session that ran: what the workflow does at its end time, done directly. */
const completedSession = async (student: TestCaller, tutorId = TUTOR) => {
  n += 1;
  const d = new Date(Date.now() + (n + 2) * 86_400_000);
  d.setUTCHours(10, 0, 0, 0);
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: d.toISOString(), durationMinutes: 60, title: 'Done', bookingMode: 'REQUEST' },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const id = res.body.session.id as string;
  const s = (await getSession(id))!;
  await transitionSession(s, { ...s, status: 'COMPLETED', paymentStatus: 'PAID', updatedAt: new Date().toISOString() });
  return id;
};

/** One each, one after the other (the race under test is the reviews, not the bookings). */
const completedSessions = async (students: TestCaller[], tutorId: string) => {
  const ids: string[] = [];
  for (const s of students) ids.push(await completedSession(s, tutorId));
  return ids;
};

const review = (as: TestCaller, id: string, body: unknown) => call(reviewHandler, 'POST /sessions/{sessionId}/review', { as, pathParameters: { sessionId: id }, body });

describe('Reviewing a completed session', () => {
  it('is allowed once for its student, and the tutor profile shows the average, count and recent reviews', async () => {
    const bola = caller('rv-bola', 'student');
    const first = await completedSession(bola);
    const second = await completedSession(bola);
    // The session, then one transaction (the rating is added to, not read); nothing remote.
    const { result, calls, remote } = await recordDdbCalls(() => review(bola, first, { rating: 5, comment: 'Brilliant' }));
    expect(result.status).toBe(201);
    expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(remote).toEqual([]);
    const again = await review(bola, first, { rating: 1 });
    expect(again.status).toBe(409);
    const ok = await review(bola, second, { rating: 4 });
    expect(ok.body.tutor).toEqual({ id: TUTOR });
    const profile = await call(getTutor, 'GET /tutors/{tutorId}', { as: bola, pathParameters: { tutorId: TUTOR } });
    expect(profile.body).toMatchObject({ ratingCount: 2, ratingAverage: 4.5 });
    expect(profile.body.recentReviews.map((r: { rating: number }) => r.rating)).toEqual([4, 5]);
  });

  it('counts every review when many arrive at once: the count and the sum exact, the average from them', async () => {
    const tutorId = 'rv-busy-tutor';
    await givenTutor(tutorId);
    const students = Array.from({ length: 12 }, (_, i) => caller(`rv-many-${i}`, 'student'));
    const ids = await completedSessions(students, tutorId);
    const ratings = students.map((_, i) => (i % 5) + 1);
    const results = await Promise.all(students.map((s, i) => review(s, ids[i]!, { rating: ratings[i] })));
    expect(results.map((r) => r.status)).toEqual(students.map(() => 201));
    const sum = ratings.reduce((a, b) => a + b, 0);
    expect(await getItem(TutorProfileEntity.key(tutorId))).toMatchObject({ ratingCount: 12, ratingSum: sum });
    const profile = await call(getTutor, 'GET /tutors/{tutorId}', { as: students[0]!, pathParameters: { tutorId } });
    expect(profile.body).toMatchObject({ ratingCount: 12, ratingAverage: Math.round((sum / 12) * 100) / 100 });
  });

  it('takes a profile stored with a rounded average and no sum: its first review reads it once, then sums', async () => {
    const tutorId = 'rv-legacy-tutor';
    const profile = await givenTutor(tutorId);
    // As profiles were stored before the rating was a sum: the average rounded to two places.
    const { ratingAverage: _a, ratingCount: _c, ...rest } = profile;
    await putItem({ Item: { ...TutorProfileEntity.key(tutorId), ...rest, type: TutorProfileEntity.type, gsi3pk: 'TUTORS', gsi3sk: tutorId, ratingCount: 3, ratingAverage: 4.33 } });
    const students = Array.from({ length: 3 }, (_, i) => caller(`rv-legacy-${i}`, 'student'));
    const ids = await completedSessions(students, tutorId);

    const { result, calls } = await recordDdbCalls(() => review(students[0]!, ids[0]!, { rating: 5 }));
    expect(result.status).toBe(201);
    // The sum's condition fails once: the profile is read and its sum written from the average.
    expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(await getItem(TutorProfileEntity.key(tutorId))).toMatchObject({ ratingCount: 4, ratingSum: 18 });

    const second = await recordDdbCalls(() => review(students[1]!, ids[1]!, { rating: 3 }));
    expect(second.calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    const page = await call(getTutor, 'GET /tutors/{tutorId}', { as: students[2]!, pathParameters: { tutorId } });
    expect(page.body).toMatchObject({ ratingCount: 5, ratingAverage: 4.2 });
  });

  it('takes concurrent first reviews of a profile stored with an average: each counted once', async () => {
    const tutorId = 'rv-legacy-race';
    const profile = await givenTutor(tutorId);
    const { ratingAverage: _a, ratingCount: _c, ...rest } = profile;
    await putItem({ Item: { ...TutorProfileEntity.key(tutorId), ...rest, type: TutorProfileEntity.type, gsi3pk: 'TUTORS', gsi3sk: tutorId, ratingCount: 2, ratingAverage: 3.5 } });
    const students = Array.from({ length: 6 }, (_, i) => caller(`rv-lrace-${i}`, 'student'));
    const ids = await completedSessions(students, tutorId);
    const results = await Promise.all(students.map((s, i) => review(s, ids[i]!, { rating: 4 })));
    expect(results.map((r) => r.status)).toEqual(students.map(() => 201));
    expect(await getItem(TutorProfileEntity.key(tutorId))).toMatchObject({ ratingCount: 8, ratingSum: 7 + 6 * 4 });
  });

  it('refuses the tutor, strangers, bad ratings and sessions that are not completed', async () => {
    const chidi = caller('rv-chidi', 'student');
    const id = await completedSession(chidi);
    expect((await review(caller(TUTOR, 'tutor', 'student'), id, { rating: 5 })).status).toBe(403);
    expect((await review(caller('rv-stranger', 'student'), id, { rating: 5 })).status).toBe(404);
    for (const rating of [0, 6, 4.5, '5']) expect((await review(chidi, id, { rating })).status).toBe(400);
    const d = new Date(Date.now() + 40 * 86_400_000);
    d.setUTCHours(10, 0, 0, 0);
    const pending = await call(createSession, 'POST /sessions', {
      as: chidi,
      body: { tutorId: TUTOR, scheduledAt: d.toISOString(), durationMinutes: 60, title: 'Not yet', bookingMode: 'REQUEST' },
    });
    expect((await review(chidi, pending.body.session.id, { rating: 5 })).status).toBe(409);
  });
});
