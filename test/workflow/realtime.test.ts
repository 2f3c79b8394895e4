/**
 * Notifications in real time, in-process end to end: real `ws` clients on the local WebSocket
 * gateway (authorizer, $connect, $disconnect, the @connections API), the HTTP handlers, the
 * local workflow (its timers fired by the test, retries compressed) with its real steps, the
 * timeline's schedules on the local scheduler (fired by the test), DynamoDB Local. Each event of a flow reaches
 * its recipients (inbox and every open connection) exactly once, also when the producing step
 * is retried, and a push that fails never fails the request that caused it.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveHandler } from '../../functions/http/approveSession';
import { handler as rejectHandler } from '../../functions/http/rejectSession';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { listUserConnections, putConnection } from '../../shared/data/connections';
import { approveSession } from '../../shared/usecases/decisions';
import { logger } from '../../shared/observability/logger';
import { awaitDecision, defaultAwaitDecisionDeps } from '../../shared/usecases/workflow-steps/await-decision';
import { expireRequest } from '../../shared/usecases/workflow-steps/expire-request';
import { cancelUnpaid, defaultReleaseUnpaidDeps } from '../../shared/usecases/workflow-steps/release-unpaid';
import { confirmBooking, defaultConfirmBookingDeps } from '../../shared/usecases/workflow-steps/confirm-booking';
import { defaultConfirmationDeps } from '../../shared/usecases/workflow-steps/confirmation';
import { meetingFallback } from '../../shared/usecases/workflow-steps/meeting-fallback';
import type { TimelineStepInput } from '../../shared/usecases/timeline';
import { defaultTimelineStepDeps, runTimelineStep } from '../../shared/usecases/timeline-step';
import type { WorkflowStep } from '../../shared/workflow/definition';
import { freePort } from '../../infra/local/ports';
import { useTestTable } from '../support/table';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { usePaystackEmulator } from '../support/paystack';
import { notificationsOf, useLocalWebSocket, type TestSocket } from '../support/ws';
import { timelineTargets, useTimeline } from '../support/timeline';
import type { ScheduleTarget } from '../../infra/local/aws/scheduler';

/**
 * How the steps that notify misbehave on their first try (per session, step and plan), after
 * which Step Functions retries them:
 * - 'after': the step does all its work, then fails (a timeout after the fact);
 * - 'crash': the step writes, then fails before it tells anyone (its notifier call throws).
 */
let mode: 'off' | 'after' | 'crash' = 'off';
let zoomDown = false;
const tries = new Map<string, number>();
const crashedNotify = async (): Promise<void> => {
  throw Object.assign(new Error('Crashed before telling anyone'), { name: 'InjectedCrash' });
};
interface Payload {
  sessionId: string;
  /** A timeline step's schedule input. */
  step?: string;
  /** A callback task's. */
  taskToken?: string;
}
const crashing: Partial<Record<WorkflowStep | 'timeline', (p: Payload) => Promise<unknown>>> = {
  awaitDecision: (p) => awaitDecision(p.sessionId, p.taskToken!, { ...defaultAwaitDecisionDeps, notify: crashedNotify }),
  // Its notices are written in the expiry's own transaction: it has no notifier to crash.
  expireRequest: (p) => expireRequest(p.sessionId),
  cancelUnpaid: (p) => cancelUnpaid(p.sessionId, { ...defaultReleaseUnpaidDeps, notify: crashedNotify }),
  meetingFallback: (p) => meetingFallback(p.sessionId, { ...defaultConfirmationDeps, notify: crashedNotify }),
  confirmBooking: (p) => confirmBooking(p.sessionId, { ...defaultConfirmBookingDeps, notify: crashedNotify }),
  timeline: (p) => runTimelineStep(p as TimelineStepInput, { ...defaultTimelineStepDeps, notify: crashedNotify }),
};
const misbehave = (step: WorkflowStep | 'timeline', run: (raw: unknown) => Promise<unknown>) => async (raw: unknown) => {
  const payload = raw as Payload;
  if (step === 'confirmBooking' && zoomDown) throw Object.assign(new Error('Zoom is down'), { name: 'MeetingUnavailable' });
  const crash = crashing[step];
  if (mode === 'off' || !crash) return run(raw);
  // An INSTANT booking's decision wait tells nobody: it ends at once.
  if (step === 'awaitDecision' && (await getSession(payload.sessionId))?.bookingMode === 'INSTANT') return run(raw);
  const key = `${payload.sessionId}:${step}:${payload.step ?? null}`;
  const n = (tries.get(key) ?? 0) + 1;
  tries.set(key, n);
  if (n > 1) return run(raw);
  if (mode === 'after') await run(raw);
  else await crash(payload).catch(() => undefined);
  throw Object.assign(new Error('Injected failure on the first try'), { name: 'InjectedFailure' });
};

// Deadlines and timeline waits keep their real length and pass when a test fires their timer;
// retries (of the steps made to fail once) are compressed.
const wf = useLocalWorkflow({ timeScale: 1, retryTimeScale: 20_000, wrap: () => misbehave });
// The timeline's target fails its first try the same way; Scheduler's retry runs it again.
const timeline = useTimeline({ targets: timelineTargets((fn: ScheduleTarget) => misbehave('timeline', fn)) });
/** How many more times the stream's sending of a workflow callback fails as if Step Functions were unreachable. */
let callbackFailures = 0;
const streams = useTableStreams({
  wrap: () => (consumer, handler) =>
    consumer !== 'startWorkflow'
      ? handler
      : async (event, context) => {
          if (callbackFailures > 0 && event.Records.some((r) => r.dynamodb?.NewImage?.type?.S === 'WorkflowCallback')) {
            callbackFailures -= 1;
            throw new Error('Step Functions unreachable');
          }
          return handler(event, context);
        },
});
const ws = useLocalWebSocket();
useTestTable();
usePaystackEmulator();

afterEach(() => {
  mode = 'off';
  zoomDown = false;
});

let n = 0;
const parties = async () => {
  n += 1;
  const tutorId = `rt-tutor-${n}`;
  await givenTutor(tutorId);
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`rt-student-${n}`, 'student'), bystander: caller(`rt-bystander-${n}`, 'student') };
};

/** A start `minutes` from now, on the 15-minute grid. */
const inMinutes = (minutes: number): string => new Date(Math.ceil((Date.now() + minutes * 60_000) / 900_000) * 900_000).toISOString();

const book = async (student: TestCaller, tutorId: string, scheduledAt: string, bookingMode: 'REQUEST' | 'INSTANT' = 'REQUEST') => {
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Realtime', bookingMode },
  });
  expect(res.status).toBe(201);
  return res.body.session.id as string;
};

const approve = (tutor: TestCaller, id: string) => call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } });

const finished = (id: string, timeFor: string[] = []) => wf.runToEnd(id, timeFor);

/** Each event's count in the user's inbox, for one session. */
const inboxCounts = async (userId: string, sessionId: string) => {
  const counts: Record<string, number> = {};
  for (const i of (await listNotifications(userId, undefined, 100)).items) if (i.sessionId === sessionId) counts[i.event] = (counts[i.event] ?? 0) + 1;
  return counts;
};
/** Each event's count among the frames a socket received, for one session, once the stream's pushes are done. */
const pushCounts = async (s: TestSocket, sessionId: string) => {
  await streams.idle();
  const counts: Record<string, number> = {};
  for (const f of notificationsOf(s)) if (f.notification.sessionId === sessionId) counts[f.notification.event] = (counts[f.notification.event] ?? 0) + 1;
  return counts;
};
const once = (...events: string[]) => Object.fromEntries(events.map((e) => [e, 1]));

describe('End to end over WebSocket connections', () => {
  it("reaches both of the tutor's connections, the student after a tutor connection closed, and nobody else", async () => {
    const { tutorId, tutor, student, bystander } = await parties();
    const [tutorLaptop, tutorPhone, studentTab, bystanderTab] = await Promise.all([
      ws.connect({ userId: tutorId }),
      ws.connect({ userId: tutorId }),
      ws.connect({ userId: student.sub }),
      ws.connect({ userId: bystander.sub }),
    ]);
    expect(await listUserConnections(tutorId)).toHaveLength(2);

    const id = await book(student, tutorId, inMinutes(5 * 24 * 60));
    const received = (s: TestSocket) => s.waitFor((f) => f?.type === 'notification' && f.notification.event === 'REQUEST_RECEIVED' && f.notification.sessionId === id);
    const [onLaptop, onPhone] = await Promise.all([received(tutorLaptop), received(tutorPhone)]);
    expect(onLaptop).toEqual(onPhone);
    expect(onLaptop).toEqual({
      type: 'notification',
      notification: {
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        event: 'REQUEST_RECEIVED',
        title: 'New session request',
        body: expect.stringContaining('"Realtime"'),
        sessionId: id,
        action: { label: 'Review Request', href: '/tutor/mentorship?tab=approvals' },
        createdAt: expect.any(String),
      },
    });
    expect((await listNotifications(tutorId, undefined, 10)).items[0]!.id).toBe(onLaptop.notification.id);

    await wf.inState(id, 'AwaitDecision');
    await tutorPhone.close();
    expect((await approve(tutor, id)).status).toBe(200);
    const approved = await studentTab.waitFor((f) => f?.notification?.event === 'REQUEST_APPROVED');
    expect(approved.notification).toMatchObject({ sessionId: id, action: { label: 'Proceed to Payment', href: `/mentorship/session/${id}` } });

    await wf.service.runner.whenIdle(5_000);
    expect(await pushCounts(tutorLaptop, id)).toEqual(once('REQUEST_RECEIVED'));
    expect(await pushCounts(tutorPhone, id)).toEqual(once('REQUEST_RECEIVED'));
    expect(await pushCounts(studentTab, id)).toEqual(once('REQUEST_APPROVED'));
    expect(bystanderTab.frames).toEqual([]);
    // the closed connection is gone from the table ($disconnect)
    expect(await listUserConnections(tutorId)).toHaveLength(1);
    await Promise.all([tutorLaptop.close(), studentTab.close(), bystanderTab.close()]);
  });
});

describe.each(['after', 'crash'] as const)('Every event once, when each step that notifies fails on its first try (%s)', (how) => {
  it('request → approve → pay (no meeting could be made) → reminder → start → end', async () => {
    const { tutorId, tutor, student } = await parties();
    const [t, s] = await Promise.all([ws.connect({ userId: tutorId }), ws.connect({ userId: student.sub })]);
    mode = how;
    zoomDown = true;
    const id = await book(student, tutorId, inMinutes(600));
    await wf.inState(id, 'AwaitDecision');
    expect((await approve(tutor, id)).status).toBe(200);
    expect((await approve(tutor, id)).status).toBe(409); // the tutor's double click
    await wf.inState(id, 'AwaitPayment');
    await markPaid(id);
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(await timeline.runTimeline(id)).toEqual(['REMIND', 'START', 'COMPLETE']);
    expect((await getSession(id))!.status).toBe('COMPLETED');

    const tutorEvents = once('REQUEST_RECEIVED', 'MEETING_LINK_NEEDED', 'PAYMENT_RECEIVED', 'SESSION_REMINDER');
    const studentEvents = once('REQUEST_APPROVED', 'BOOKING_CONFIRMED', 'SESSION_REMINDER');
    expect(await inboxCounts(tutorId, id)).toEqual(tutorEvents);
    expect(await inboxCounts(student.sub, id)).toEqual(studentEvents);
    expect(await pushCounts(t, id)).toEqual(tutorEvents);
    expect(await pushCounts(s, id)).toEqual(studentEvents);
    // the steps really were retried
    expect(tries.get(`${id}:awaitDecision:null`)).toBe(2);
    expect(tries.get(`${id}:meetingFallback:null`)).toBe(2);
    expect(tries.get(`${id}:timeline:REMIND`)).toBe(2);
    await Promise.all([t.close(), s.close()]);
  });

  it('request nobody answers → expired, told to both', async () => {
    const { tutorId, student } = await parties();
    const [t, s] = await Promise.all([ws.connect({ userId: tutorId }), ws.connect({ userId: student.sub })]);
    mode = how;
    const id = await book(student, tutorId, inMinutes(60));
    await wf.inState(id, 'AwaitDecision');
    expect(await timeline.runTimeline(id)).toEqual(['EXPIRE']);
    expect(await finished(id)).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed' });
    expect((await getSession(id))!.status).toBe('REJECTED');
    expect(await inboxCounts(tutorId, id)).toEqual(once('REQUEST_RECEIVED', 'REQUEST_EXPIRED'));
    expect(await inboxCounts(student.sub, id)).toEqual(once('REQUEST_EXPIRED'));
    expect(await pushCounts(t, id)).toEqual(once('REQUEST_RECEIVED', 'REQUEST_EXPIRED'));
    expect(await pushCounts(s, id)).toEqual(once('REQUEST_EXPIRED'));
    expect(tries.get(`${id}:timeline:EXPIRE`)).toBe(2);
    await Promise.all([t.close(), s.close()]);
  });

  it('INSTANT booking nobody pays → cancelled, told to both', async () => {
    const { tutorId, student } = await parties();
    const [t, s] = await Promise.all([ws.connect({ userId: tutorId }), ws.connect({ userId: student.sub })]);
    mode = how;
    const id = await book(student, tutorId, inMinutes(600), 'INSTANT');
    expect((await finished(id, ['AwaitPayment'])).status).toBe('SUCCEEDED');
    expect((await getSession(id))!.status).toBe('CANCELLED');
    expect(await inboxCounts(tutorId, id)).toEqual(once('SESSION_CANCELLED'));
    expect(await inboxCounts(student.sub, id)).toEqual(once('SESSION_CANCELLED'));
    expect(await pushCounts(t, id)).toEqual(once('SESSION_CANCELLED'));
    expect(await pushCounts(s, id)).toEqual(once('SESSION_CANCELLED'));
    expect(tries.get(`${id}:cancelUnpaid:null`)).toBe(2);
    await Promise.all([t.close(), s.close()]);
  });
});

describe('The tutor decides', () => {
  it('reject (clicked twice): REQUEST_REJECTED once', async () => {
    const { tutorId, tutor, student } = await parties();
    const s = await ws.connect({ userId: student.sub });
    const id = await book(student, tutorId, inMinutes(5 * 24 * 60));
    await wf.inState(id, 'AwaitDecision');
    const reject = () => call(rejectHandler, 'POST /sessions/{sessionId}/reject', { as: tutor, pathParameters: { sessionId: id }, body: { reason: 'Away that week' } });
    const results = await Promise.all([reject(), reject()]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    await finished(id);
    expect(await inboxCounts(student.sub, id)).toEqual(once('REQUEST_REJECTED'));
    expect(await pushCounts(s, id)).toEqual(once('REQUEST_REJECTED'));
    expect(notificationsOf(s, 'REQUEST_REJECTED')[0].notification.body).toContain('Away that week');
    await s.close();
  });

  it('approve whose workflow callback fails at first: the request succeeds, the student is told once, the stream retries the callback', async () => {
    const { tutorId, student } = await parties();
    const s = await ws.connect({ userId: student.sub });
    const id = await book(student, tutorId, inMinutes(5 * 24 * 60));
    await wf.inState(id, 'AwaitDecision');
    callbackFailures = 2;
    try {
      const approved = await approveSession({ userId: tutorId, roles: ['tutor'] }, id);
      expect(approved.status).toBe('SCHEDULED');
      await s.waitFor((f) => f?.notification?.event === 'REQUEST_APPROVED');
      await wf.inState(id, 'AwaitPayment');
      expect(callbackFailures).toBe(0);
    } finally {
      callbackFailures = 0;
    }
    expect(await inboxCounts(student.sub, id)).toEqual(once('REQUEST_APPROVED'));
    await s.close();
  });
});

describe('A push that fails', () => {
  const withManagementEndpoint = async (endpoint: string, run: (warn: jest.SpyInstance) => Promise<void>) => {
    const saved = process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
    process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = endpoint;
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      await run(warn);
      // The push is the table stream's work, after the request answered: wait for it.
      await streams.idle();
      expect(warn).toHaveBeenCalledWith('Notification not pushed to a connection', expect.objectContaining({ userId: expect.any(String) }));
    } finally {
      warn.mockRestore();
      process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = saved;
    }
  };

  const approvedDespite = async (endpoint: string) => {
    const { tutorId, tutor, student } = await parties();
    const id = await book(student, tutorId, inMinutes(5 * 24 * 60));
    await wf.inState(id, 'AwaitDecision');
    const connectedAt = new Date(Date.now() - 60_000).toISOString();
    await putConnection({ connectionId: `${student.sub}-phone=`, userId: student.sub, connectedAt, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    await withManagementEndpoint(endpoint, async (warn) => {
      const res = await approve(tutor, id);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('SCHEDULED');
      // The request did not wait for the push: it answered before the push had failed.
      expect(warn).not.toHaveBeenCalledWith('Notification not pushed to a connection', expect.anything());
    });
    expect(await inboxCounts(student.sub, id)).toEqual(once('REQUEST_APPROVED'));
    // a connection that could not be reached is not taken for gone
    expect(await listUserConnections(student.sub)).toHaveLength(1);
    await wf.inState(id, 'AwaitPayment');
  };

  it('(the management endpoint is down) does not fail the approve request', async () => {
    await approvedDespite(`http://127.0.0.1:${await freePort()}/local`);
  });

  it('(the management endpoint hangs) does not hold the approve request: it answers before the push times out', async () => {
    const held = new Set<ServerResponse>();
    const server = createServer((_req, res) => void held.add(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      await approvedDespite(`http://127.0.0.1:${(server.address() as AddressInfo).port}/local`);
    } finally {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
