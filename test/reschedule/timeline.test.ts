/**
 * A rescheduled session's workflow, time compressed 20,000 times (an hour lasts 0.18 s): the
 * timeline follows the new time, earlier or later (a wait planned for the old time is ended
 * by the move, never overslept), and a wait whose token was not stored yet when the session
 * moved notices by itself.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as rescheduleHandler } from '../../functions/http/rescheduleSession';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../../shared/integrations/workflow';
import { awaitDecision, awaitPayment, awaitTimeline, defaultWorkflowDeps } from '../../shared/usecases/workflow';
import { nextTimelineStep } from '../../shared/domain/timeline';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { givenSession } from '../support/sessions';
import { markPaid, useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';

const wf = useLocalWorkflow({ timeScale: 20_000 });
// The sessions written straight to the table (givenSession, students rt-s-*) get no workflow.
useTableStreams({ where: (r) => !r.dynamodb?.NewImage?.studentId?.S?.startsWith('rt-s-') });
useTestTable();
usePaystackEmulator();
useZoomEmulator();

const H = 3_600_000;
/** A start `hours` from now, on the 15-minute grid. */
const inHours = (hours: number) => new Date(Math.ceil((Date.now() + hours * H) / 900_000) * 900_000).toISOString();

let n = 0;
const inState = (id: string, state: string) => wf.service.runner.waitFor(wf.executionArn(id), (d) => d.currentState === state && d.waiting !== undefined, 10_000);
const finished = (id: string, timeoutMs = 15_000) => wf.service.runner.waitFor(wf.executionArn(id), (d) => d.status !== 'RUNNING', timeoutMs);
const reminders = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.filter((x) => x.event === 'SESSION_REMINDER');

/** A REQUEST booking, approved and paid (as the webhook does it); its timeline is waiting. */
const paidSession = async (hoursAhead: number) => {
  n += 1;
  const tutorId = `rt-tutor-${n}`;
  await givenTutor(tutorId);
  const student = caller(`rt-student-${n}`, 'student');
  const tutor = caller(tutorId, 'tutor');
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: inHours(hoursAhead), durationMinutes: 60, title: 'Timeline', bookingMode: 'REQUEST' },
  });
  expect(res.status).toBe(201);
  const id = res.body.session.id as string;
  await inState(id, 'AwaitDecision');
  expect((await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(200);
  await inState(id, 'AwaitPayment');
  await markPaid(id);
  await inState(id, 'WaitUntilNextStep');
  return { id, student, tutor, tutorId };
};

const reschedule = (as: TestCaller, sessionId: string, scheduledAt: string) => call(rescheduleHandler, 'POST /sessions/{sessionId}/reschedule', { as, pathParameters: { sessionId }, body: { scheduledAt } });

describe('The timeline of a rescheduled session', () => {
  it('moved earlier: reminds, starts and completes at the new time, long before the old one', async () => {
    // Five days ahead: its reminder wait alone would last 21.6 s at this scale.
    const { id, student, tutorId } = await paidSession(5 * 24);
    const sooner = inHours(2); // reminder 1 h 45 min ahead: 0.3 s
    expect((await reschedule(student, id, sooner)).status).toBe(200);
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    const after = (await getSession(id))!;
    expect(after).toMatchObject({ status: 'COMPLETED', scheduledAt: sooner, reminderSentFor: sooner });
    const [reminder] = await reminders(student.sub);
    expect(reminder!.body).toContain(new Date(sooner).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }));
    expect(await reminders(tutorId)).toHaveLength(1);
  }, 30_000);

  it('moved later: no reminder at the old time, then the reminder for the new one', async () => {
    const { id, student } = await paidSession(12.5); // its reminder would come in about 2.2 s
    const later = inHours(20); // the new reminder: in about 3.5 s
    expect((await reschedule(student, id, later)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_800));
    const meanwhile = (await getSession(id))!;
    expect(meanwhile.status).toBe('SCHEDULED');
    expect(meanwhile.reminderSentFor).toBeUndefined();
    expect(await reminders(student.sub)).toHaveLength(0);
    const deadline = Date.now() + 10_000;
    while ((await getSession(id))!.reminderSentFor !== later && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', reminderSentFor: later });
    expect(await reminders(student.sub)).toHaveLength(1);
  }, 30_000);
});

describe('A wait that begins after the session moved', () => {
  const recorder = () => {
    const calls: [string, string][] = [];
    const workflow: BookingWorkflow = { ...bookingWorkflow, fail: async (token, error) => void calls.push([token, error]), succeed: async (token) => void calls.push([token, 'SUCCESS']) };
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

    const request = await givenSession(`rt-s-${n}`, `rt-t2-${n}`, { status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING', bookingMode: 'REQUEST', approvalDeadline: inHours(40) });
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
