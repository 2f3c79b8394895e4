/**
 * A rescheduled session's workflow: the timeline follows the new time, earlier or later (the
 * wait planned for the old time is ended by the move, and the next one is planned for the new
 * time), and a wait whose token was not stored yet when the session moved notices by itself.
 * Time is not compressed: the test fires each timeline timer once its wait has begun, so the
 * outcome does not depend on how fast the machine is.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as rescheduleHandler } from '../../functions/http/rescheduleSession';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../../shared/integrations/workflow';
import { awaitDecision, awaitPayment, awaitTimeline, defaultWorkflowDeps } from '../../shared/usecases/workflow';
import { DAY_REMINDER_LEAD_MS, nextTimelineStep, REMINDER_LEAD_MS } from '../../shared/domain/timeline';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { givenSession } from '../support/sessions';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import type { ExecutionDescription } from '../../infra/local/aws/stepfunctions/runner';

const wf = useLocalWorkflow({ timeScale: 1 });
// The sessions written straight to the table (givenSession, students rt-s-*) get no workflow.
const streams = useTableStreams({ where: (r) => !r.dynamodb?.NewImage?.studentId?.S?.startsWith('rt-s-') });
useTestTable();
usePaystackEmulator();
useZoomEmulator();

const H = 3_600_000;
/** A start `hours` from now, on the 15-minute grid. */
const inHours = (hours: number) => new Date(Math.ceil((Date.now() + hours * H) / 900_000) * 900_000).toISOString();

let n = 0;
const inState = (id: string, state: string) => wf.service.runner.waitFor(wf.executionArn(id), (d) => d.currentState === state && d.waiting !== undefined, 10_000);
const reminders = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.filter((x) => x.event === 'SESSION_REMINDER');

interface TimelinePlan {
  step: string;
  wakeAt?: string;
  timeoutSeconds?: number;
}
/** The plans of the session's timeline waits so far, in order, and how each ended. */
const timelineWaits = async (id: string) => {
  const { events } = await wf.service.runner.getExecutionHistory(wf.executionArn(id), { maxResults: 1000 });
  const waits: { plan: TimelinePlan; ended?: string }[] = [];
  let inWait = false;
  for (const e of events) {
    const entered = (e.stateEnteredEventDetails as { name?: string } | undefined)?.name;
    if (entered !== undefined) inWait = entered === 'WaitUntilNextStep';
    if (!inWait) continue;
    if (e.type === 'TaskScheduled')
      waits.push({ plan: (JSON.parse((e.taskScheduledEventDetails as { parameters: string }).parameters) as { Payload: { plan: TimelinePlan } }).Payload.plan });
    if (e.type === 'TaskTimedOut') waits.at(-1)!.ended = 'timer';
    if (e.type === 'TaskFailed') waits.at(-1)!.ended = (e.taskFailedEventDetails as { error: string }).error;
    if (e.type === 'TaskSucceeded') waits.at(-1)!.ended = 'success';
  }
  return waits;
};

/** Resolves once the timeline waits (its function has run) for a step planned at `wakeAt`. */
const waitingFor = async (id: string, wakeAt: string): Promise<ExecutionDescription> => {
  for (;;) {
    const d = await inState(id, 'WaitUntilNextStep');
    if ((await timelineWaits(id)).at(-1)!.plan.wakeAt === wakeAt) return d;
    // An earlier wait (e.g. one a reschedule is ending): the next change.
    await wf.service.runner.waitFor(wf.executionArn(id), (x) => x.stateTransitions > d.stateTransitions, 10_000);
  }
};

/**
 * Waits until the timeline waits for a step planned at `wakeAt`, fires its timer, and resolves
 * once the step has run: the execution waits again, or has ended.
 */
const runStepAt = async (id: string, wakeAt: string): Promise<ExecutionDescription> => {
  const arn = wf.executionArn(id);
  const waiting = await waitingFor(id, wakeAt);
  await wf.service.runner.fireTimer(arn);
  return wf.service.runner.waitFor(
    arn,
    (d) => d.status !== 'RUNNING' || (d.currentState === 'WaitUntilNextStep' && d.waiting !== undefined && d.stateTransitions > waiting.stateTransitions),
    10_000,
  );
};

const reminderAt = (scheduledAt: string) => new Date(Date.parse(scheduledAt) - REMINDER_LEAD_MS).toISOString();
const dayReminderAt = (scheduledAt: string) => new Date(Date.parse(scheduledAt) - DAY_REMINDER_LEAD_MS).toISOString();
const endOf = (scheduledAt: string) => new Date(Date.parse(scheduledAt) + 60 * 60_000).toISOString();

/** A REQUEST booking, approved and paid (as the webhook does it); its timeline is waiting. */
const paidSession = async (hoursAhead: number) => {
  n += 1;
  const tutorId = `rt-tutor-${n}`;
  await givenTutor(tutorId);
  const student = caller(`rt-student-${n}`, 'student');
  const tutor = caller(tutorId, 'tutor');
  const scheduledAt = inHours(hoursAhead);
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Timeline', bookingMode: 'REQUEST' },
  });
  expect(res.status).toBe(201);
  const id = res.body.session.id as string;
  await inState(id, 'AwaitDecision');
  expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
  await inState(id, 'AwaitPayment');
  await markPaid(id);
  await inState(id, 'WaitUntilNextStep');
  return { id, student, tutor, tutorId, scheduledAt };
};

const reschedule = (as: TestCaller, sessionId: string, scheduledAt: string) =>
  call(rescheduleHandler, 'POST /sessions/{sessionId}/reschedule', { as, pathParameters: { sessionId }, body: { scheduledAt } });

describe('The timeline of a rescheduled session', () => {
  it('moved earlier: reminds, starts and completes at the new time; the wait for the old one ends at the move', async () => {
    const { id, student, tutorId, scheduledAt } = await paidSession(5 * 24);
    const sooner = inHours(2);
    expect((await reschedule(student, id, sooner)).status).toBe(200);
    // The move's callback ends the old wait from the table stream, after the request.
    await streams.idle();

    await runStepAt(id, reminderAt(sooner));
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', reminderSentFor: sooner });
    await runStepAt(id, sooner);
    expect((await getSession(id))!.status).toBe('IN_PROGRESS');
    const done = await runStepAt(id, endOf(sooner));
    expect(done.status).toBe('SUCCEEDED');

    expect((await getSession(id))!).toMatchObject({ status: 'COMPLETED', scheduledAt: sooner, reminderSentFor: sooner });
    // The wait planned for the old day-before reminder (four days ahead) was ended by the move,
    // not by its timer; the new time, two hours ahead, has no day-before reminder.
    const waits = await timelineWaits(id);
    expect(waits.map((w) => [w.plan.step, w.plan.wakeAt, w.ended])).toEqual([
      ['REMIND_DAY', dayReminderAt(scheduledAt), WORKFLOW_ERRORS.rescheduled],
      ['REMIND', reminderAt(sooner), 'timer'],
      ['START', sooner, 'timer'],
      ['COMPLETE', endOf(sooner), 'timer'],
      ['DONE', undefined, 'success'],
    ]);
    expect(waits[1]!.plan.timeoutSeconds).toBeLessThanOrEqual(2 * 3600);
    const [reminder] = await reminders(student.sub);
    expect(reminder!.body).toContain(new Date(sooner).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }));
    expect(await reminders(student.sub)).toHaveLength(1);
    expect(await reminders(tutorId)).toHaveLength(1);
  });

  it('moved later: no reminder at the old time, then the reminder for the new one', async () => {
    const { id, student, scheduledAt } = await paidSession(12.5);
    const later = inHours(20);
    expect((await reschedule(student, id, later)).status).toBe(200);

    // The wait for the old reminder has ended, without a reminder; the next one waits for the new time.
    await waitingFor(id, reminderAt(later));
    expect((await timelineWaits(id)).map((w) => [w.plan.step, w.plan.wakeAt, w.ended])).toEqual([
      ['REMIND', reminderAt(scheduledAt), WORKFLOW_ERRORS.rescheduled],
      ['REMIND', reminderAt(later), undefined],
    ]);
    const meanwhile = (await getSession(id))!;
    expect(meanwhile.status).toBe('SCHEDULED');
    expect(meanwhile.reminderSentFor).toBeUndefined();
    expect(await reminders(student.sub)).toHaveLength(0);

    await runStepAt(id, reminderAt(later));
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', reminderSentFor: later });
    expect(await reminders(student.sub)).toHaveLength(1);
  });
});

describe('A wait that begins after the session moved', () => {
  const recorder = () => {
    const calls: [string, string][] = [];
    const workflow: BookingWorkflow = {
      ...bookingWorkflow,
      fail: async (token, error) => void calls.push([token, error]),
      succeed: async (token) => void calls.push([token, 'SUCCESS']),
    };
    return { calls, deps: { ...defaultWorkflowDeps, workflow } };
  };

  it('is ended at once as rescheduled, without storing its token (timeline, decision, payment)', async () => {
    const s = await givenSession(`rt-s-${n}`, `rt-t-${n}`, { scheduledAt: inHours(48) });
    const stale = { ...nextTimelineStep({ ...s, scheduledAt: inHours(72) }) };
    const r = recorder();
    await awaitTimeline(s.id, 'token-1', stale, r.deps);
    expect(r.calls).toEqual([['token-1', WORKFLOW_ERRORS.rescheduled]]);
    expect((await getSession(s.id))!.timelineTaskToken).toBeUndefined();
    await awaitTimeline(s.id, 'token-2', nextTimelineStep(s), r.deps);
    expect(r.calls).toHaveLength(1);
    expect((await getSession(s.id))!.timelineTaskToken).toBe('token-2');

    const request = await givenSession(`rt-s-${n}`, `rt-t2-${n}`, {
      status: 'PENDING_MENTOR_REVIEW',
      paymentStatus: 'PENDING',
      bookingMode: 'REQUEST',
      approvalDeadline: inHours(40),
    });
    await awaitDecision(request.id, 'token-3', inHours(44), r.deps);
    expect(r.calls.at(-1)).toEqual(['token-3', WORKFLOW_ERRORS.rescheduled]);
    expect((await getSession(request.id))!.approvalTaskToken).toBeUndefined();
    await awaitDecision(request.id, 'token-4', request.approvalDeadline!, r.deps);
    expect((await getSession(request.id))!.approvalTaskToken).toBe('token-4');

    const unpaid = await givenSession(`rt-s-${n}`, `rt-t3-${n}`, { paymentStatus: 'PENDING', paymentDeadline: inHours(20) });
    await awaitPayment(unpaid.id, 'token-5', inHours(24), r.deps);
    expect(r.calls.at(-1)).toEqual(['token-5', WORKFLOW_ERRORS.rescheduled]);
    await awaitPayment(unpaid.id, 'token-6', unpaid.paymentDeadline!, r.deps);
    expect((await getSession(unpaid.id))!.paymentTaskToken).toBe('token-6');
    expect(r.calls).toHaveLength(3);
  });
});
