/**
 * The booking workflow, end to end on every path: the definition CDK deploys, executed by
 * the local runner with the real task functions against DynamoDB Local, started and resumed
 * through the real SFN client; the session's timeline on the local EventBridge Scheduler,
 * through the real Scheduler client. The test controls the clock: deadlines keep their real
 * length and pass when a test fires their timer (so a payment window never ends because the
 * machine was slow), a schedule runs when the test fires it; retry intervals are compressed
 * 20,000 times.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveHandler } from '../../functions/http/approveSession';
import { handler as rejectHandler } from '../../functions/http/rejectSession';
import { handler as cancelHandler } from '../../functions/http/cancelSession';
import { approveSession, defaultDecisionDeps } from '../../shared/usecases/decisions';
import { scheduleName } from '../../shared/usecases/timeline';
import { defaultTimelineStepDeps, runTimelineStep } from '../../shared/usecases/timeline-step';
import { getSession } from '../../shared/data/sessions';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { listNotifications } from '../../shared/data/notifications';
import { ddb } from '../../shared/data/client';
import { notificationKey } from '../../shared/data/keys';
import { bookingWorkflow } from '../../shared/integrations/workflow';
import { useTestTable } from '../support/table';
import { call, caller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { markPaid, useLocalWorkflow, type StepWrapper } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

/** While armed, AwaitDecision's step fails its first `failures` calls (tests run one at a time). */
let armed: { failures: number; calls: number } | undefined;
/** Students who pay the moment PreparePayment has asked for it. */
const paysAtOnce = new Set<string>();
const injectFaults: StepWrapper = (step, run) => async (payload) => {
  if (step === 'awaitDecision' && armed) {
    armed.calls += 1;
    if (armed.calls <= armed.failures) throw Object.assign(new Error('Injected failure'), { name: 'InjectedFailure' });
  }
  const { sessionId } = payload as { sessionId: string };
  const result = await run(payload);
  if (step === 'preparePayment' && paysAtOnce.has((await getSession(sessionId))!.studentId)) await markPaid(sessionId);
  return result;
};

const wf = useLocalWorkflow({ timeScale: 1, retryTimeScale: 20_000, wrap: () => injectFaults });
const timeline = useTimeline({ targets: timelineTargets() });
/** While set, the stream holds a decision's workflow callbacks until it resolves (the callback comes late). */
let callbacksHeld: Promise<void> | undefined;
const streams = useTableStreams({
  wrap: () => (consumer, handler) =>
    consumer !== 'startWorkflow'
      ? handler
      : async (event, context) => {
          if (callbacksHeld && event.Records.some((r) => r.dynamodb?.NewImage?.type?.S === 'WorkflowCallback')) await callbacksHeld;
          return handler(event, context);
        },
});
useTestTable();
usePaystackEmulator();
useZoomEmulator();

let n = 0;
const student = () => caller(`wf-student-${(n += 1)}`, 'student');
/** Each booking gets a tutor of its own, so tests never compete for a slot. */
let TUTOR = '';
let tutor = caller('none', 'tutor');

/** A start `minutes` from now, on the 15-minute grid. */
const inMinutes = (minutes: number): string => {
  const t = Date.now() + minutes * 60_000;
  return new Date(Math.ceil(t / 900_000) * 900_000).toISOString();
};

const book = async (who = student(), opts: { minutes: number; mode?: 'REQUEST' | 'INSTANT'; title?: string }) => {
  TUTOR = `wf-tutor-${(n += 1)}`;
  tutor = caller(TUTOR, 'tutor');
  await givenTutor(TUTOR);
  const res = await call(createSession, 'POST /sessions', {
    as: who,
    body: { tutorId: TUTOR, scheduledAt: inMinutes(opts.minutes), durationMinutes: 60, title: opts.title ?? 'Workflow', bookingMode: opts.mode ?? 'REQUEST' },
  });
  expect(res.status).toBe(201);
  return { id: res.body.session.id as string, student: who, scheduledAt: res.body.session.scheduledAt as string };
};

const finished = (id: string, timeFor: string[] = []) => wf.runToEnd(id, timeFor, 15_000);
const events = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.map((x) => x.event);
/** The facts of the user's notifications of `event` (kept on the inbox items, for the emails). */
const factsOf = async (userId: string, event: string) => {
  const pk = notificationKey(userId, '').pk;
  const { Items = [] } = await ddb.send(new QueryCommand({ TableName: process.env.TABLE_NAME!, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
  return Items.filter((x) => x.event === event).map((x) => x.facts as { lead?: string } | undefined);
};
/** The leads of the user's session reminders, sorted. */
const reminders = async (userId: string) => (await factsOf(userId, 'SESSION_REMINDER')).map((f) => f?.lead).sort();

/** The entered states of the session's execution, in order. */
const enteredStates = async (id: string) => {
  const history = await wf.service.runner.getExecutionHistory(wf.executionArn(id), { maxResults: 1000 });
  return history.events.flatMap((e) => (e.stateEnteredEventDetails ? [(e.stateEnteredEventDetails as { name: string }).name] : []));
};
/** The leads of the approval reminders the user was sent, sorted. */
const approvalReminders = async (userId: string) => (await factsOf(userId, 'APPROVAL_DEADLINE_APPROACHING')).map((f) => f?.lead).sort();
/** The steps of the session's schedules, in time order, once the stream has done its work. */
const scheduled = async (id: string) => {
  await streams.idle();
  return timeline.schedulesOf(id).map((x) => x.step);
};

describe('Given a REQUEST booking', () => {
  it('starts one execution named after the session, waiting for the decision with the token on the session', async () => {
    const { id } = await book(undefined, { minutes: 600 });
    await wf.inState(id, 'AwaitDecision');
    const d = await wf.service.runner.describeExecution(wf.executionArn(id));
    expect(d).toMatchObject({ name: id, status: 'RUNNING' });
    expect((await getSession(id))!.approvalTaskToken).toEqual(expect.any(String));
    expect(await events(TUTOR)).toContain('REQUEST_RECEIVED');
    // a second start of the same booking is harmless
    await expect(bookingWorkflow.start({ id, bookingMode: 'REQUEST', scheduledAt: (await getSession(id))!.scheduledAt })).resolves.toBeUndefined();
  });

  it('approve → pay → confirmed in 4 state transitions; then the timeline’s schedules: reminders (a day and 15 minutes before) → IN_PROGRESS → COMPLETED', async () => {
    const { id, student: s } = await book(undefined, { minutes: 48 * 60 });
    await wf.inState(id, 'AwaitDecision');
    expect((await call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    await wf.inState(id, 'AwaitPayment');
    const unpaid = (await getSession(id))!;
    expect(unpaid).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });
    expect(Date.parse(unpaid.paymentDeadline!)).toBeLessThanOrEqual(Date.parse(unpaid.scheduledAt));
    await markPaid(id);
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    // What a booking costs on Step Functions: each state entered is one transition.
    expect(done.stateTransitions).toBe(4);
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'PreparePayment', 'AwaitPayment', 'ConfirmBooking']);
    expect(await events(s.sub)).toEqual(expect.arrayContaining(['REQUEST_APPROVED', 'BOOKING_CONFIRMED']));

    // The execution is over; the timeline is four schedules named after the session.
    const schedules = timeline.schedulesOf(id);
    expect(schedules.map((x) => [x.name, x.at])).toEqual([
      [scheduleName(id, 'REMIND_DAY'), new Date(Date.parse(unpaid.scheduledAt) - 24 * 3_600_000).toISOString()],
      [scheduleName(id, 'REMIND'), new Date(Date.parse(unpaid.scheduledAt) - 15 * 60_000).toISOString()],
      [scheduleName(id, 'START'), unpaid.scheduledAt],
      [scheduleName(id, 'COMPLETE'), new Date(Date.parse(unpaid.scheduledAt) + 60 * 60_000).toISOString()],
    ]);
    expect(await timeline.runTimeline(id)).toEqual(['REMIND_DAY', 'REMIND', 'START', 'COMPLETE']);
    const after = (await getSession(id))!;
    expect(after.status).toBe('COMPLETED');
    expect(after.reminderSentFor).toBe(after.scheduledAt);
    expect(after.dayReminderSentFor).toBe(after.scheduledAt);
    expect(await reminders(s.sub)).toEqual(['15m', '24h']);
    expect(await reminders(TUTOR)).toEqual(['15m', '24h']);
    // Run once, each schedule deletes itself.
    expect(timeline.list(id)).toEqual([]);
  });

  it('reject → the execution ends as Rejected, in 2 state transitions', async () => {
    const { id, student: s } = await book(undefined, { minutes: 600 });
    await wf.inState(id, 'AwaitDecision');
    expect((await call(rejectHandler, 'POST /sessions/{sessionId}/reject', { as: tutor, pathParameters: { sessionId: id }, body: { reason: 'Away' } })).status).toBe(200);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Rejected', stateTransitions: 2 });
    expect(await events(s.sub)).toContain('REQUEST_REJECTED');
  });

  it('auto-rejects at the approval deadline (its EXPIRE schedule), tells both, frees the slot, ends the execution in 2 state transitions, and a late approval is 409', async () => {
    const { id, student: s, scheduledAt } = await book(undefined, { minutes: 60 });
    await wf.inState(id, 'AwaitDecision');
    const expiry = timeline.schedulesOf(id).find((x) => x.step === 'EXPIRE')!;
    expect(expiry.at).toBe((await getSession(id))!.approvalDeadline);
    expect((await timeline.fire(expiry.name)).outcome).toBe('SUCCEEDED');
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 2 });
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'Closed']);
    const expired = (await getSession(id))!;
    expect(expired).toMatchObject({ status: 'REJECTED', approvalNotes: expect.stringMatching(/^Expired/) });
    expect(expired.rejectedAt).toEqual(expect.any(String));
    expect(await events(s.sub)).toContain('REQUEST_EXPIRED');
    expect(await events(TUTOR)).toContain('REQUEST_EXPIRED');
    const late = await call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } });
    expect(late.status).toBe(409);
    const again = await call(createSession, 'POST /sessions', {
      as: student(),
      body: { tutorId: TUTOR, scheduledAt, durationMinutes: 60, title: 'Again', bookingMode: 'INSTANT' },
    });
    expect(again.status).toBe(201);
  });
});

describe('An unanswered request', () => {
  it('reminds the tutor 24 h and 2 h before the approval deadline by schedules, while the execution waits once, then expires by its schedule, in 2 state transitions', async () => {
    const { id, student: s } = await book(undefined, { minutes: 80 * 60 });
    await wf.inState(id, 'AwaitDecision');
    const token = (await getSession(id))!.approvalTaskToken;
    expect(await scheduled(id)).toEqual(['REMIND_APPROVAL_24H', 'REMIND_APPROVAL_2H', 'EXPIRE']);
    await timeline.fire(scheduleName(id, 'REMIND_APPROVAL_24H'));
    await timeline.fire(scheduleName(id, 'REMIND_APPROVAL_2H'));
    expect(await approvalReminders(TUTOR)).toEqual(['24h', '2h']);
    expect(await approvalReminders(s.sub)).toEqual([]);
    // The wait went on untouched: same token, same state.
    expect((await getSession(id))!.approvalTaskToken).toBe(token);

    expect(await timeline.runTimeline(id)).toEqual(['EXPIRE']);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 2 });
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'Closed']);
    expect((await getSession(id))!).toMatchObject({ status: 'REJECTED', approvalNotes: expect.stringMatching(/^Expired/) });
    expect(await events(TUTOR)).toContain('REQUEST_EXPIRED');
  });

  it('whose EXPIRE schedule never runs is expired by the decision wait’s backstop timeout, an hour past the deadline', async () => {
    const { id, student: s } = await book(undefined, { minutes: 60 });
    await wf.inState(id, 'AwaitDecision');
    const session = (await getSession(id))!;
    const execution = await wf.service.runner.describeExecution(wf.executionArn(id));
    const { approvalTimeoutSeconds } = JSON.parse(execution.input) as { approvalTimeoutSeconds: number };
    const timesOutAt = execution.startDate.getTime() + approvalTimeoutSeconds * 1000;
    const backstop = Date.parse(session.approvalDeadline!) + 3_600_000;
    expect(timesOutAt).toBeGreaterThanOrEqual(backstop);
    expect(timesOutAt).toBeLessThanOrEqual(backstop + 2_000);

    const done = await finished(id, ['AwaitDecision']);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 4 });
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'ExpireRequest', 'AfterExpiry', 'Closed']);
    expect((await getSession(id))!).toMatchObject({ status: 'REJECTED', approvalNotes: expect.stringMatching(/^Expired/) });
    expect(await events(s.sub)).toContain('REQUEST_EXPIRED');
    // Its schedule, firing after all, finds the request expired: nothing more.
    await expect(runTimelineStep(timeline.schedulesOf(id).find((x) => x.step === 'EXPIRE')!.input)).resolves.toMatchObject({ ran: false, status: 'REJECTED' });
    expect((await events(s.sub)).filter((e) => e === 'REQUEST_EXPIRED')).toHaveLength(1);
  });

  it('cancelled by the student ends the execution in 2 state transitions, its schedules deleted', async () => {
    const { id, student: s } = await book(undefined, { minutes: 80 * 60 });
    await wf.inState(id, 'AwaitDecision');
    expect((await call(cancelHandler, 'POST /sessions/{sessionId}/cancel', { as: s, pathParameters: { sessionId: id }, body: { reason: 'Changed my mind' } })).status).toBe(200);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 2 });
    expect(await scheduled(id)).toEqual([]);
  });

  it('made less than a day before its deadline: the 24-hour point is past and not scheduled, only the 2-hour reminder comes', async () => {
    const { id } = await book(undefined, { minutes: 20 * 60 });
    await wf.inState(id, 'AwaitDecision');
    expect(await scheduled(id)).toEqual(['REMIND_APPROVAL_2H', 'EXPIRE']);
    await timeline.runTimeline(id);
    expect(await approvalReminders(TUTOR)).toEqual(['2h']);
  });

  it('approved before its reminders: their schedules are deleted, and one firing anyway reminds nobody', async () => {
    const { id } = await book(undefined, { minutes: 80 * 60 });
    await wf.inState(id, 'AwaitDecision');
    const [first] = timeline.schedulesOf(id);
    expect(first?.step).toBe('REMIND_APPROVAL_24H');
    expect((await call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    await wf.inState(id, 'AwaitPayment');
    expect(await scheduled(id)).toEqual([]);
    // A schedule that fired in the meantime (deleted too late): the step finds the request decided.
    await expect(runTimelineStep(first!.input)).resolves.toMatchObject({ ran: false, status: 'SCHEDULED' });
    expect(await approvalReminders(TUTOR)).toEqual([]);
  });
});

describe('A decision racing the deadline', () => {
  it('is refused with 409 when it comes after the deadline, changing nothing', async () => {
    const { id } = await book(undefined, { minutes: 600 });
    const s = (await getSession(id))!;
    const late = () => new Date(Date.parse(s.approvalDeadline!) + 1);
    await expect(approveSession({ userId: TUTOR, roles: ['tutor'] }, id, { ...defaultDecisionDeps, clock: late })).rejects.toMatchObject({ statusCode: 409 });
    expect((await getSession(id))!.status).toBe('PENDING_MENTOR_REVIEW');
  });

  it('wins when its write lands first, even if its callback arrives after the EXPIRE schedule ran', async () => {
    const { id } = await book(undefined, { minutes: 60 });
    await wf.inState(id, 'AwaitDecision');
    let release!: () => void;
    callbacksHeld = new Promise<void>((r) => (release = r));
    try {
      const approved = await approveSession({ userId: TUTOR, roles: ['tutor'] }, id);
      expect(approved.status).toBe('SCHEDULED');
      // The deadline comes between the approval's write and its callback (held in the stream, the deletion of the schedules with it).
      await expect(runTimelineStep(timeline.schedulesOf(id).find((x) => x.step === 'EXPIRE')!.input)).resolves.toMatchObject({ ran: false, status: 'SCHEDULED' });
    } finally {
      callbacksHeld = undefined;
      release();
    }
    await wf.inState(id, 'AwaitPayment');
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'PreparePayment', 'AwaitPayment']);
  });

  it('wins when its write lands first, even if its callback arrives after the backstop timeout', async () => {
    const { id } = await book(undefined, { minutes: 60 });
    await wf.inState(id, 'AwaitDecision');
    let release!: () => void;
    callbacksHeld = new Promise<void>((r) => (release = r));
    try {
      const approved = await approveSession({ userId: TUTOR, roles: ['tutor'] }, id);
      expect(approved.status).toBe('SCHEDULED');
      // The deadline comes between the approval's write and its callback (held in the stream).
      await wf.service.runner.fireTimer(wf.executionArn(id));
      await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.currentState !== 'AwaitDecision', 10_000);
    } finally {
      callbacksHeld = undefined;
      release();
    }
    // The callback's token timed out: sent anyway, taken as done.
    await wf.inState(id, 'AwaitPayment');
    // Never expired: the decision stood, and the session waits for its payment.
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });
  });
});

describe('Given an INSTANT booking', () => {
  it('pay → confirmed in 4 state transitions (meeting and confirmation one step); then reminders → IN_PROGRESS → COMPLETED on schedules', async () => {
    const s = student();
    paysAtOnce.add(s.sub);
    const { id } = await book(s, { minutes: 48 * 60, mode: 'INSTANT' });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', stateTransitions: 4 });
    expect(await enteredStates(id)).toEqual(['AwaitDecision', 'PreparePayment', 'AwaitPayment', 'ConfirmBooking']);
    expect(JSON.parse(done.output!).confirmed.value).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meeting: { joinUrl: expect.any(String) } });
    expect(await events(s.sub)).toContain('BOOKING_CONFIRMED');
    expect(await events(TUTOR)).toContain('PAYMENT_RECEIVED');
    expect(await timeline.runTimeline(id)).toEqual(['REMIND_DAY', 'REMIND', 'START', 'COMPLETE']);
    const after = (await getSession(id))!;
    expect(after).toMatchObject({
      status: 'COMPLETED',
      paymentStatus: 'PAID',
      reminderSentFor: after.scheduledAt,
      dayReminderSentFor: after.scheduledAt,
      meetingUrl: expect.any(String),
    });
    expect(await reminders(s.sub)).toEqual(['15m', '24h']);
    expect(await reminders(TUTOR)).toEqual(['15m', '24h']);
  });

  it('booked less than a day ahead: no day-before reminder is scheduled, in 4 state transitions', async () => {
    const s = student();
    paysAtOnce.add(s.sub);
    const { id } = await book(s, { minutes: 600, mode: 'INSTANT' });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', stateTransitions: 4 });
    expect(await timeline.runTimeline(id)).toEqual(['REMIND', 'START', 'COMPLETE']);
    const after = (await getSession(id))!;
    expect(after).toMatchObject({ status: 'COMPLETED', reminderSentFor: after.scheduledAt });
    expect(after.dayReminderSentFor).toBeUndefined();
    expect(await reminders(s.sub)).toEqual(['15m']);
    expect(await reminders(TUTOR)).toEqual(['15m']);
  });
});

describe('A reminder whose schedule fires more than an hour late', () => {
  it('is skipped, not sent late; the next step’s schedule still runs', async () => {
    const s = student();
    paysAtOnce.add(s.sub);
    const { id } = await book(s, { minutes: 48 * 60, mode: 'INSTANT' });
    await finished(id);
    const day = timeline.schedulesOf(id).find((x) => x.step === 'REMIND_DAY')!;
    // Scheduler invokes 61 minutes after the reminder's time (it was held up).
    const late = () => new Date(Date.parse(day.at) + 61 * 60_000);

    await expect(runTimelineStep(day.input, { ...defaultTimelineStepDeps, clock: late })).resolves.toEqual({ ran: false, status: 'SCHEDULED' });

    expect((await getSession(id))!.dayReminderSentFor).toBeUndefined();
    expect(await reminders(s.sub)).toEqual([]);
    await timeline.fire(scheduleName(id, 'REMIND'));
    expect(await reminders(s.sub)).toEqual(['15m']);
  });
});

describe('Given an INSTANT booking nobody pays', () => {
  it('cancels it at the end of the payment window and frees the slot', async () => {
    const { id, student: s, scheduledAt } = await book(undefined, { minutes: 600, mode: 'INSTANT' });
    const done = await finished(id, ['AwaitPayment']);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed', stateTransitions: 6 });
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'PENDING', cancellationReason: expect.stringMatching(/payment window/) });
    expect(await events(s.sub)).toContain('SESSION_CANCELLED');
    const again = await call(createSession, 'POST /sessions', {
      as: student(),
      body: { tutorId: TUTOR, scheduledAt, durationMinutes: 60, title: 'Again', bookingMode: 'INSTANT' },
    });
    expect(again.status).toBe(201);
  });
});

describe('Restarting the local runner mid-wait', () => {
  it('resumes the waiting execution, which then carries on with a new token', async () => {
    const { id } = await book(undefined, { minutes: 900 });
    await wf.inState(id, 'AwaitDecision');
    const firstToken = (await getSession(id))!.approvalTaskToken;
    await wf.restart();
    await wf.inState(id, 'AwaitDecision');
    await wf.service.runner.whenIdle(5_000);
    const secondToken = (await getSession(id))!.approvalTaskToken;
    expect(secondToken).toEqual(expect.any(String));
    expect(secondToken).not.toBe(firstToken);
    await expect(bookingWorkflow.approved(firstToken!, id)).resolves.toBeUndefined(); // stale token: harmless
    expect((await call(approveHandler, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
    await wf.inState(id, 'AwaitPayment');
  });
});

describe('A failing task', () => {
  afterEach(() => {
    armed = undefined;
  });

  it('is retried with backoff, and the execution carries on when a retry succeeds', async () => {
    armed = { failures: 2, calls: 0 };
    const { id } = await book(undefined, { minutes: 600 });
    await wf.inState(id, 'AwaitDecision');
    expect(armed.calls).toBe(3);
    expect((await getSession(id))!.status).toBe('PENDING_MENTOR_REVIEW');
  });

  it('is caught after its last retry, and the unpaid booking is released, not left holding the slot', async () => {
    armed = { failures: Number.POSITIVE_INFINITY, calls: 0 };
    const { id, scheduledAt } = await book(undefined, { minutes: 600 });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'FAILED', error: 'BookingFailed' });
    expect(armed.calls).toBe(5); // the first try and 4 retries
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', cancellationReason: expect.stringMatching(/system error/) });
    armed = undefined;
    const again = await call(createSession, 'POST /sessions', {
      as: student(),
      body: { tutorId: TUTOR, scheduledAt, durationMinutes: 60, title: 'Again', bookingMode: 'INSTANT' },
    });
    expect(again.status).toBe(201);
  });
});
