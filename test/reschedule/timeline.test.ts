/**
 * A rescheduled session's timeline: its schedules follow the new time, earlier or later (the
 * move's stream record puts them again from the session), a schedule left from the old time
 * does nothing, and a cancel deletes them; a wait whose token was not stored yet when the
 * session moved, was decided or expired notices by itself. Nothing runs on a timer: the test fires each schedule, so
 * the outcome does not depend on how fast the machine is.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as rescheduleHandler } from '../../functions/http/rescheduleSession';
import { handler as cancelHandler } from '../../functions/http/cancelSession';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../../shared/integrations/workflow';
import { awaitDecision, defaultAwaitDecisionDeps } from '../../shared/usecases/workflow-steps/await-decision';
import { awaitPayment } from '../../shared/usecases/workflow-steps/await-payment';
import { scheduleName } from '../../shared/usecases/timeline';
import { runTimelineStep } from '../../shared/usecases/timeline-step';
import { EXPIRED_NOTE } from '../../shared/domain/session';
import { DAY_REMINDER_LEAD_MS, REMINDER_LEAD_MS } from '../../shared/domain/timeline';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { givenSession } from '../support/sessions';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

const wf = useLocalWorkflow({ timeScale: 1 });
const timeline = useTimeline({ targets: timelineTargets() });
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
/** The session's schedules as [step, time], once the stream has done its work. */
const schedules = async (id: string) => {
  await streams.idle();
  return timeline.schedulesOf(id).map((x) => [x.step, x.at]);
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
  const done = await wf.runToEnd(id);
  expect(done.status).toBe('SUCCEEDED');
  return { id, student, tutor, tutorId, scheduledAt };
};

const reschedule = (as: TestCaller, sessionId: string, scheduledAt: string) =>
  call(rescheduleHandler, 'POST /sessions/{sessionId}/reschedule', { as, pathParameters: { sessionId }, body: { scheduledAt } });

describe('The timeline of a rescheduled session', () => {
  it('moved earlier: its schedules move to the new time; it is reminded, starts and completes then; the old day-before reminder is gone', async () => {
    const { id, student, tutorId, scheduledAt } = await paidSession(5 * 24);
    expect(await schedules(id)).toEqual([
      ['REMIND_DAY', dayReminderAt(scheduledAt)],
      ['REMIND', reminderAt(scheduledAt)],
      ['START', scheduledAt],
      ['COMPLETE', endOf(scheduledAt)],
    ]);
    const oldDay = timeline.schedulesOf(id)[0]!;
    const sooner = inHours(2);
    expect((await reschedule(student, id, sooner)).status).toBe(200);

    // Two hours ahead: no day-before reminder.
    expect(await schedules(id)).toEqual([
      ['REMIND', reminderAt(sooner)],
      ['START', sooner],
      ['COMPLETE', endOf(sooner)],
    ]);
    // Had the old day-before reminder fired before its deletion, it would have done nothing.
    await expect(runTimelineStep(oldDay.input)).resolves.toMatchObject({ ran: false });
    expect(await timeline.runTimeline(id)).toEqual(['REMIND', 'START', 'COMPLETE']);

    expect((await getSession(id))!).toMatchObject({ status: 'COMPLETED', scheduledAt: sooner, reminderSentFor: sooner });
    const [reminder] = await reminders(student.sub);
    expect(reminder!.body).toContain(new Date(sooner).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }));
    expect(await reminders(student.sub)).toHaveLength(1);
    expect(await reminders(tutorId)).toHaveLength(1);
  });

  it('moved later: a schedule of the old time firing after the move does nothing; the reminder comes at the new one', async () => {
    const { id, student, scheduledAt } = await paidSession(12.5);
    const [oldReminder] = timeline.schedulesOf(id);
    expect(oldReminder).toMatchObject({ step: 'REMIND', at: reminderAt(scheduledAt) });
    const later = inHours(20);
    expect((await reschedule(student, id, later)).status).toBe(200);
    expect(await schedules(id)).toEqual([
      ['REMIND', reminderAt(later)],
      ['START', later],
      ['COMPLETE', endOf(later)],
    ]);

    // The old reminder's invocation, already under way when the move landed.
    await expect(runTimelineStep(oldReminder!.input)).resolves.toEqual({ ran: false, status: 'SCHEDULED' });
    const meanwhile = (await getSession(id))!;
    expect(meanwhile.reminderSentFor).toBeUndefined();
    expect(await reminders(student.sub)).toHaveLength(0);

    await timeline.fire(scheduleName(id, 'REMIND'));
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', reminderSentFor: later });
    expect(await reminders(student.sub)).toHaveLength(1);
    // Fired twice (Scheduler delivers at least once): one reminder.
    await expect(runTimelineStep({ sessionId: id, step: 'REMIND', at: reminderAt(later) })).resolves.toMatchObject({ ran: false });
    expect(await reminders(student.sub)).toHaveLength(1);
  });
});

describe('A cancelled session', () => {
  it('has its schedules deleted, and one firing anyway changes nothing', async () => {
    const { id, student } = await paidSession(30);
    const before = timeline.schedulesOf(id);
    expect(before.map((x) => x.step)).toEqual(['REMIND_DAY', 'REMIND', 'START', 'COMPLETE']);
    expect((await call(cancelHandler, 'POST /sessions/{sessionId}/cancel', { as: student, pathParameters: { sessionId: id }, body: { reason: 'Plans changed' } })).status).toBe(
      200,
    );
    expect(await schedules(id)).toEqual([]);
    for (const x of before) await expect(runTimelineStep(x.input)).resolves.toEqual({ ran: false, status: 'CANCELLED' });
    expect(await reminders(student.sub)).toHaveLength(0);
  });
});

describe('A wait that begins after the session changed', () => {
  const recorder = () => {
    const calls: [string, string][] = [];
    const workflow: BookingWorkflow = {
      ...bookingWorkflow,
      fail: async (token, error) => void calls.push([token, error]),
      succeed: async (token) => void calls.push([token, 'SUCCESS']),
    };
    return { calls, deps: { ...defaultAwaitDecisionDeps, workflow } };
  };

  it('is ended at once when the request was decided or expired first, without storing its token', async () => {
    const r = recorder();
    const pending = { status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING', bookingMode: 'REQUEST', approvalDeadline: inHours(40) } as const;
    const expired = await givenSession(`rt-s-${n}`, `rt-t1-${n}`, { ...pending, status: 'REJECTED', approvalNotes: EXPIRED_NOTE });
    await awaitDecision(expired.id, 'token-1', r.deps);
    const rejected = await givenSession(`rt-s-${n}`, `rt-t4-${n}`, { ...pending, status: 'REJECTED', approvalNotes: 'Away' });
    await awaitDecision(rejected.id, 'token-2', r.deps);
    expect(r.calls).toEqual([
      ['token-1', WORKFLOW_ERRORS.closed],
      ['token-2', WORKFLOW_ERRORS.rejected],
    ]);
    expect((await getSession(expired.id))!.approvalTaskToken).toBeUndefined();
    const request = await givenSession(`rt-s-${n}`, `rt-t2-${n}`, pending);
    await awaitDecision(request.id, 'token-4', r.deps);
    expect((await getSession(request.id))!.approvalTaskToken).toBe('token-4');
    expect(r.calls).toHaveLength(2);
  });

  it('is ended at once as rescheduled when the payment deadline moved, without storing its token', async () => {
    const r = recorder();
    const unpaid = await givenSession(`rt-s-${n}`, `rt-t3-${n}`, { paymentStatus: 'PENDING', paymentDeadline: inHours(20) });
    await awaitPayment(unpaid.id, 'token-5', inHours(24), r.deps);
    expect(r.calls.at(-1)).toEqual(['token-5', WORKFLOW_ERRORS.rescheduled]);
    await awaitPayment(unpaid.id, 'token-6', unpaid.paymentDeadline!, r.deps);
    expect((await getSession(unpaid.id))!.paymentTaskToken).toBe('token-6');
    expect(r.calls).toHaveLength(1);
  });
});
