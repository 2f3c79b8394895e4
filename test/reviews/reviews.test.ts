/** Reviews: the student of a completed session, once; the tutor's rating kept in the same transaction. */
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
const completedSession = async (student: TestCaller) => {
  n += 1;
  const d = new Date(Date.now() + (n + 2) * 86_400_000);
  d.setUTCHours(10, 0, 0, 0);
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId: TUTOR, scheduledAt: d.toISOString(), durationMinutes: 60, title: 'Done', bookingMode: 'REQUEST' },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  const id = res.body.session.id as string;
  const s = (await getSession(id))!;
  await transitionSession(s, { ...s, status: 'COMPLETED', paymentStatus: 'PAID', updatedAt: new Date().toISOString() });
  return id;
};

const review = (as: TestCaller, id: string, body: unknown) => call(reviewHandler, 'POST /sessions/{sessionId}/review', { as, pathParameters: { sessionId: id }, body });

describe('Reviewing a completed session', () => {
  it('is allowed once for its student, and the tutor profile shows the average, count and recent reviews', async () => {
    const bola = caller('rv-bola', 'student');
    const first = await completedSession(bola);
    const second = await completedSession(bola);
    // The session, the tutor's profile (the answer carries the new rating), one transaction; nothing remote.
    const { result, calls, remote } = await recordDdbCalls(() => review(bola, first, { rating: 5, comment: 'Brilliant' }));
    expect(result.status).toBe(201);
    expect(calls).toEqual(['GetItemCommand', 'GetItemCommand', 'TransactWriteItemsCommand']);
    expect(remote).toEqual([]);
    const again = await review(bola, first, { rating: 1 });
    expect(again.status).toBe(409);
    const ok = await review(bola, second, { rating: 4 });
    expect(ok.body.tutor).toEqual({ id: TUTOR, ratingCount: 2, ratingAverage: 4.5 });
    const profile = await call(getTutor, 'GET /tutors/{tutorId}', { as: bola, pathParameters: { tutorId: TUTOR } });
    expect(profile.body).toMatchObject({ ratingCount: 2, ratingAverage: 4.5 });
    expect(profile.body.recentReviews.map((r: { rating: number }) => r.rating)).toEqual([4, 5]);
  });

  it('counts every review when many arrive at once', async () => {
    const students = Array.from({ length: 6 }, (_, i) => caller(`rv-many-${i}`, 'student'));
    const ids = await Promise.all(students.map((s) => completedSession(s)));
    const results = await Promise.all(students.map((s, i) => review(s, ids[i]!, { rating: 3 })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const profile = await call(getTutor, 'GET /tutors/{tutorId}', { as: students[0]!, pathParameters: { tutorId: TUTOR } });
    expect(profile.body.ratingCount).toBe(8);
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
