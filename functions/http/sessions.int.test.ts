/**
 * The session routes, called as API Gateway calls them, against DynamoDB Local.
 */
import { handler as createSession } from './createSession';
import { handler as getSession } from './getSession';
import { handler as approveSession } from './approveSession';
import { handler as rejectSession } from './rejectSession';
import { handler as listMySessions } from './listMySessions';
import { handler as listTutorSessions } from './listTutorSessions';
import { handler as getTutorStats } from './getTutorStats';
import { handler as listAdminSessions } from './listAdminSessions';
import { useTestTable } from '../../test/support/table';
import { call, caller } from '../../test/support/http';
import { givenTutor, slot } from '../../test/support/fixtures';
import { useLocalWorkflow } from '../../test/support/workflow';
import { useTableStreams } from '../../test/support/streams';
import { timelineTargets, useTimeline } from '../../test/support/timeline';
import { recordDdbCalls } from '../../test/support/ddb-calls';
import { listNotifications } from '../../shared/data/notifications';
import { usePaystackEmulator } from '../../test/support/paystack';
import { useZoomEmulator } from '../../test/support/zoom';

// Bookings start workflow executions; at real speed they simply wait during these tests.
const wf = useLocalWorkflow({ timeScale: 1 });
// The stream also keeps the timeline's schedules (a decision's `schedules` callback): on the local scheduler.
useTimeline({ targets: timelineTargets() });
useTableStreams();
useTestTable();
usePaystackEmulator();
useZoomEmulator();

const POST_SESSIONS = 'POST /sessions';
const GET_SESSION = 'GET /sessions/{sessionId}';
const APPROVE = 'POST /sessions/{sessionId}/approve';
const REJECT = 'POST /sessions/{sessionId}/reject';

let n = 0;
/** Each test gets its own tutor and student, so tests never share a calendar. */
const actors = async () => {
  n += 1;
  const tutorId = `tutor-${n}`;
  await givenTutor(tutorId);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`student-${n}`, 'student'), other: caller(`student-x${n}`, 'student') };
};

const book = (who: ReturnType<typeof caller>, tutorId: string, scheduledAt: string, extra: Record<string, unknown> = {}) =>
  call(createSession, POST_SESSIONS, {
    as: who,
    body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Generics', bookingMode: 'REQUEST', ...extra },
  });

describe('Given a student and a tutor who accepts requests', () => {
  describe('When the student requests a session', () => {
    it('saves it as PENDING_MENTOR_REVIEW with the server-computed price and approval deadline', async () => {
      const { tutorId, student } = await actors();
      const at = slot(10);
      const res = await book(student, tutorId, at, { notes: 'Bring questions' });
      expect(res.status).toBe(201);
      const s = res.body.session;
      expect(s).toMatchObject({
        studentId: student.sub,
        tutorId,
        status: 'PENDING_MENTOR_REVIEW',
        paymentStatus: 'PENDING',
        bookingMode: 'REQUEST',
        price: { amount: 500_000, currency: 'NGN' },
        scheduledAt: at,
        durationMinutes: 60,
        notes: 'Bring questions',
        meetingUrl: null,
      });
      expect(res.body.payment).toBeUndefined();
      // 72 hours after the request, since the session is 10 days away
      const deadline = Date.parse(s.approvalDeadline) - Date.parse(s.createdAt);
      expect(deadline).toBe(72 * 3600_000);
    });

    it('sets the approval deadline to the start when the session is sooner than 72 hours', async () => {
      const { tutorId, student } = await actors();
      const at = slot(2);
      const res = await book(student, tutorId, at);
      expect(res.body.session.approvalDeadline).toBe(at);
    });

    it('refuses a price, status or participant sent by the client', async () => {
      const { tutorId, student } = await actors();
      const res = await book(student, tutorId, slot(10), { price: { amount: 1, currency: 'NGN' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('When the student books INSTANT', () => {
    it('creates it SCHEDULED with payment PENDING and no approval deadline', async () => {
      const { tutorId, student } = await actors();
      const res = await book(student, tutorId, slot(3), { bookingMode: 'INSTANT' });
      expect(res.status).toBe(201);
      expect(res.body.session).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING', approvalDeadline: null });
    });
  });

  describe('When two bookings of one tutor overlap', () => {
    it('refuses the second with 409 SLOT_UNAVAILABLE but accepts a back-to-back one', async () => {
      const { tutorId, student, other } = await actors();
      const at = slot(5, 10);
      expect((await book(student, tutorId, at)).status).toBe(201);
      const overlapping = await book(other, tutorId, new Date(Date.parse(at) + 30 * 60_000).toISOString());
      expect(overlapping.status).toBe(409);
      expect(overlapping.body.error.code).toBe('SLOT_UNAVAILABLE');
      expect((await book(other, tutorId, slot(5, 11))).status).toBe(201);
      expect((await book(other, tutorId, slot(5, 9))).status).toBe(201);
    });

    it('lets exactly one of 16 simultaneous bookings of one slot win', async () => {
      const { tutorId } = await actors();
      const at = slot(6, 14);
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => book(caller(`racer-${n}-${i}`, 'student'), tutorId, at)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(15);
      expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SLOT_UNAVAILABLE')).toBe(true);
      const approvals = await call(listTutorSessions, 'GET /tutor/sessions', { as: caller(tutorId, 'tutor'), query: { view: 'approvals' } });
      expect(approvals.body.items).toHaveLength(1);
    });
  });

  describe('When the student already has 5 open requests', () => {
    it('refuses a sixth with 409 OPEN_REQUEST_LIMIT and saves nothing', async () => {
      const { tutorId, student } = await actors();
      for (let d = 1; d <= 5; d += 1) expect((await book(student, tutorId, slot(10 + d))).status).toBe(201);
      const sixth = await book(student, tutorId, slot(20));
      expect(sixth.status).toBe(409);
      expect(sixth.body.error.code).toBe('OPEN_REQUEST_LIMIT');
      const mine = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'awaiting-approval' } });
      expect(mine.body.items).toHaveLength(5);
      // the slot of the refused request was not held
      expect((await book(caller('someone-else', 'student'), tutorId, slot(20))).status).toBe(201);
    });
  });
});

describe('Given a pending request', () => {
  const pending = async () => {
    const a = await actors();
    const at = slot(8, 12);
    const res = await book(a.student, a.tutorId, at);
    return { ...a, at, id: res.body.session.id as string };
  };

  it('the tutor approves it: SCHEDULED with payment PENDING, in the right views and counters', async () => {
    const { tutor, student, id } = await pending();
    const res = await call(approveSession, APPROVE, { as: tutor, pathParameters: { sessionId: id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });

    const view = async (v: string) => (await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: v } })).body.items.map((s: { id: string }) => s.id);
    expect(await view('awaiting-approval')).toEqual([]);
    expect(await view('ready-for-payment')).toEqual([id]);
    expect(await view('upcoming')).toEqual([id]);
    const tutorView = await call(listTutorSessions, 'GET /tutor/sessions', { as: tutor, query: { view: 'pending' } });
    expect(tutorView.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    const stats = await call(getTutorStats, 'GET /tutor/stats', { as: tutor });
    expect(stats.body).toMatchObject({ pendingApprovals: 0, pending: 1, active: 0, completed: 0 });
  });

  it('the tutor rejects it with a reason: REJECTED, rejectedAt set, slot released', async () => {
    const { tutor, tutorId, student, other, id, at } = await pending();
    const res = await call(rejectSession, REJECT, { as: tutor, pathParameters: { sessionId: id }, body: { reason: 'Fully booked that week' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'REJECTED', approvalNotes: 'Fully booked that week' });
    expect(res.body.rejectedAt).toEqual(expect.any(String));
    const rejected = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'rejected' } });
    expect(rejected.body.items.map((s: { id: string }) => s.id)).toEqual([id]);
    expect((await book(other, tutorId, at)).status).toBe(201);
    const stats = await call(getTutorStats, 'GET /tutor/stats', { as: tutor });
    expect(stats.body.pendingApprovals).toBe(1); // the other student's new request only
  });

  it('refuses a rejection without a reason and changes nothing', async () => {
    const { tutor, id } = await pending();
    for (const body of [{}, { reason: '   ' }]) {
      const res = await call(rejectSession, REJECT, { as: tutor, pathParameters: { sessionId: id }, body });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('reason');
    }
    const s = await call(getSession, GET_SESSION, { as: tutor, pathParameters: { sessionId: id } });
    expect(s.body.status).toBe('PENDING_MENTOR_REVIEW');
  });

  it('a second decision is 409 INVALID_STATE', async () => {
    const { tutor, id } = await pending();
    expect((await call(approveSession, APPROVE, { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    const again = await call(rejectSession, REJECT, { as: tutor, pathParameters: { sessionId: id }, body: { reason: 'x' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
  });

  it('simultaneous approve and reject leave one winner and a matching state', async () => {
    const { tutor, id } = await pending();
    const [a, r] = await Promise.all([
      call(approveSession, APPROVE, { as: tutor, pathParameters: { sessionId: id } }),
      call(rejectSession, REJECT, { as: tutor, pathParameters: { sessionId: id }, body: { reason: 'No' } }),
    ]);
    expect([a.status, r.status].sort()).toEqual([200, 409]);
    const s = await call(getSession, GET_SESSION, { as: tutor, pathParameters: { sessionId: id } });
    expect(s.body.status).toBe(a.status === 200 ? 'SCHEDULED' : 'REJECTED');
  });

  it.each([
    ['approve', approveSession, APPROVE, undefined, 'REQUEST_APPROVED'],
    ['reject', rejectSession, REJECT, { reason: 'Away that week' }, 'REQUEST_REJECTED'],
  ] as const)(
    'the %s route reads once and writes once, and calls nothing else: the notification and the workflow’s callback are in the decision’s transaction',
    async (name, handler, route, body, event) => {
      const { tutor, student, id } = await pending();
      // The workflow has stored its token: nothing else writes the session while we count.
      await wf.inState(id, 'AwaitDecision');
      const { result, calls, remote } = await recordDdbCalls(() => call(handler, route, { as: tutor, pathParameters: { sessionId: id }, ...(body ? { body } : {}) }));
      expect(result.status).toBe(200);
      expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
      expect(remote).toEqual([]);
      // The table stream resumes the execution with the token the decision replaced.
      if (name === 'approve') await wf.inState(id, 'AwaitPayment');
      else await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.status !== 'RUNNING', 10_000);
      const inbox = await listNotifications(student.sub, undefined, 10);
      expect(inbox.items.map((i) => [i.event, i.sessionId])).toEqual([[event, id]]);
      expect(inbox.unreadCount).toBe(1);
    },
  );

  describe('authorization', () => {
    it('answers 404 to a user who is not a participant, for any session id', async () => {
      const { id } = await pending();
      const stranger = caller('nosy', 'student', 'tutor');
      expect((await call(getSession, GET_SESSION, { as: stranger, pathParameters: { sessionId: id } })).status).toBe(404);
      expect((await call(approveSession, APPROVE, { as: stranger, pathParameters: { sessionId: id } })).status).toBe(404);
      expect((await call(getSession, GET_SESSION, { as: stranger, pathParameters: { sessionId: '01JD0000000000000000000000' } })).status).toBe(404);
    });

    it('answers 403 when the student tries to approve their own request, and lets admins read it', async () => {
      const { student, id } = await pending();
      const studentAsTutor = { ...student, groups: ['student', 'tutor'] };
      const res = await call(approveSession, APPROVE, { as: studentAsTutor, pathParameters: { sessionId: id } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      const admin = await call(getSession, GET_SESSION, { as: caller('admin-1', 'admin'), pathParameters: { sessionId: id } });
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({ id, isLive: false });
      expect(admin.body.startsInSeconds).toBeGreaterThan(0);
    });

    it('answers 403 to a tutor-only caller booking, and 401 without claims', async () => {
      const { tutorId } = await actors();
      const res = await book(caller('t-only', 'tutor'), tutorId, slot(9));
      expect(res.status).toBe(403);
      const anon = await call(createSession, POST_SESSIONS, { body: {} });
      expect(anon.status).toBe(401);
      expect(anon.body.error.code).toBe('UNAUTHORIZED');
    });

    it('lists sessions by status for admins only', async () => {
      const { id } = await pending();
      const admin = await call(listAdminSessions, 'GET /admin/sessions', { as: caller('admin-1', 'admin'), query: { status: 'PENDING_MENTOR_REVIEW', limit: '100' } });
      expect(admin.status).toBe(200);
      expect(admin.body.items.map((s: { id: string }) => s.id)).toContain(id);
      const student = await call(listAdminSessions, 'GET /admin/sessions', { as: caller('s', 'student'), query: { status: 'SCHEDULED' } });
      expect(student.status).toBe(403);
    });
  });
});

describe('Given input no client should send', () => {
  it('answers 400 with field paths, never 5xx, and saves nothing', async () => {
    const { tutorId, student } = await actors();
    const bad: [Record<string, unknown>, string][] = [
      [{ scheduledAt: 'tomorrow' }, 'scheduledAt'],
      [{ scheduledAt: '2020-01-01T10:00:00Z' }, 'scheduledAt'],
      [{ scheduledAt: slot(4).replace(':00:00', ':07:00') }, 'scheduledAt'],
      [{ durationMinutes: 45 }, 'durationMinutes'],
      [{ durationMinutes: '60' }, 'durationMinutes'],
      [{ bookingMode: 'FREE' }, 'bookingMode'],
      [{ tutorId: 'TUTOR#x' }, 'tutorId'],
      [{ tutorId: 'nobody' }, 'tutorId'],
      [{ title: '' }, 'title'],
      [{ extra: 1 }, ''],
    ];
    for (const [extra, path] of bad) {
      const res = await book(student, tutorId, slot(4), extra);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const mine = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'awaiting-approval' } });
    expect(mine.body.items).toEqual([]);
  });

  it('answers malformed JSON with 400, a non-JSON body with 415 and a huge body with 413', async () => {
    const student = caller('s-json', 'student');
    const malformed = await call(createSession, POST_SESSIONS, { as: student, rawBody: '{"tutorId": ' });
    expect(malformed.status).toBe(400);
    const text = await call(createSession, POST_SESSIONS, { as: student, rawBody: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const huge = await call(createSession, POST_SESSIONS, { as: student, body: { title: 'x'.repeat(100_000) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers hostile ids and unknown views with 400', async () => {
    const tutor = caller('t-hostile', 'tutor');
    const res = await call(getSession, GET_SESSION, { as: tutor, pathParameters: { sessionId: '../../etc/passwd' } });
    expect(res.status).toBe(400);
    const view = await call(listTutorSessions, 'GET /tutor/sessions', { as: tutor, query: { view: 'everything' } });
    expect(view.status).toBe(400);
  });

  it("refuses a cursor forged to read another user's partition", async () => {
    const { tutorId, student } = await actors();
    await book(student, tutorId, slot(12));
    await book(student, tutorId, slot(13));
    const first = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'awaiting-approval', limit: '1' } });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'awaiting-approval', limit: '1', cursor: first.body.nextCursor } });
    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);

    const key = JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...key, gsi1pk: 'STUDENT#victim' })).toString('base64url');
    const thief = await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'awaiting-approval', cursor: forged } });
    expect(thief.status).toBe(400);
    const stolen = await call(listMySessions, 'GET /me/sessions', { as: caller('victim', 'student'), query: { view: 'awaiting-approval', cursor: first.body.nextCursor } });
    expect(stolen.status).toBe(400);
    for (const junk of ['%%%', 'bm90IGpzb24', Buffer.from('[1,2]').toString('base64url')]) {
      expect((await call(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'upcoming', cursor: junk } })).status).toBe(400);
    }
  });
});

describe('Given Step Functions cannot be reached', () => {
  it('answers the booking without waiting for it: the workflow is started from the table stream', async () => {
    const { tutorId, student } = await actors();
    const arn = process.env.STATE_MACHINE_ARN!;
    process.env.STATE_MACHINE_ARN = `${arn}-unreachable`;
    try {
      const { result, calls } = await recordDdbCalls(() => book(student, tutorId, slot(30)));
      expect(result.status).toBe(201);
      // The tutor's profile, then the booking's transaction: no Step Functions call in between.
      expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
      const s = await call(getSession, GET_SESSION, { as: student, pathParameters: { sessionId: result.body.session.id } });
      expect(s.body.status).toBe('PENDING_MENTOR_REVIEW');
    } finally {
      process.env.STATE_MACHINE_ARN = arn;
    }
  });
});
