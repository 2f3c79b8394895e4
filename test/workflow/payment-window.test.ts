/**
 * The end of the payment window when our own record says "unpaid" but Paystack may know
 * better (the charge.success webhook failed or never came): the workflow asks Paystack
 * before it cancels. Paid → confirmed exactly as the webhook would; Paystack unreachable →
 * retried with backoff (visible in the execution's history) and, if it stays unreachable,
 * the slot is kept and the execution ends in PaymentUnverified for an operator.
 * The deployed definition, run by the local runner with the real task functions, DynamoDB
 * Local and the Paystack emulator, its timers fired by the test, retries compressed 20,000 times.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { getPayment } from '../../shared/data/payments';
import { walletWithLedger } from '../../shared/data/wallet';
import { getSession } from '../../shared/data/sessions';
import { PAYSTACK_FAULTS } from '../../infra/local/emulators/paystack/emulator';
import { call, caller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { useLocalWorkflow, type StepWrapper } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

/** Students who pay at Paystack's checkout the moment the window opens, and whose webhook never arrives. */
const paysUnheard = new Set<string>();
/** Sessions whose payment check finds Paystack's verify failing for its first `failures` tries. */
const verifyDown = new Map<string, { failures: number; calls: number }>();

/** Students whose PreparePayment step always fails (after they paid unheard), so that ReleaseOnError is reached. */
const prepareBroken = new Set<string>();

const faults = new Set<string>();
const injectFaults: StepWrapper = (step, run) => async (payload) => {
  const { sessionId } = payload as { sessionId: string };
  if (step === 'preparePayment') {
    const s = (await getSession(sessionId))!;
    if (prepareBroken.has(s.studentId)) {
      paystack.emulator.settle(s.paymentReference!, 'success');
      throw Object.assign(new Error('Injected failure'), { name: 'InjectedFailure' });
    }
  }
  const down = verifyDown.get(sessionId);
  if (step === 'cancelUnpaid' && down) {
    down.calls += 1;
    if (down.calls <= down.failures) faults.add(PAYSTACK_FAULTS.verify);
    else faults.delete(PAYSTACK_FAULTS.verify);
  }
  const result = await run(payload);
  if (step === 'preparePayment') {
    const s = (await getSession(sessionId))!;
    if (paysUnheard.has(s.studentId)) paystack.emulator.settle(s.paymentReference!, 'success');
  }
  return result;
};

// The test controls the clock: the payment window and the timeline pass when their timers are
// fired (never early because the machine was slow); retries are compressed 20,000 times.
const wf = useLocalWorkflow({ timeScale: 1, retryTimeScale: 20_000, wrap: () => injectFaults });
const timeline = useTimeline({ targets: timelineTargets() });
useTableStreams();
useTestTable();
const paystack = usePaystackEmulator(faults);
useZoomEmulator();

afterEach(() => faults.clear());

let n = 0;
const inMinutes = (minutes: number): string => new Date(Math.ceil((Date.now() + minutes * 60_000) / 900_000) * 900_000).toISOString();

/** An INSTANT booking with a tutor of its own; `pays`: the student pays at checkout unheard. */
const book = async (opts: { pays: boolean; minutes?: number; beforeStart?: (studentId: string) => void }) => {
  n += 1;
  const tutorId = `pw-tutor-${n}`;
  const student = caller(`pw-student-${n}`, 'student');
  if (opts.pays) paysUnheard.add(student.sub);
  opts.beforeStart?.(student.sub);
  await givenTutor(tutorId);
  const scheduledAt = inMinutes(opts.minutes ?? 600);
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Window', bookingMode: 'INSTANT' },
  });
  expect(res.status).toBe(201);
  return { id: res.body.session.id as string, reference: res.body.payment.reference as string, tutorId, scheduledAt };
};

/** Runs the execution to its end, firing the payment window's timer as its wait begins. */
const finished = (id: string) => wf.runToEnd(id, ['AwaitPayment']);
const history = async (id: string) => (await wf.service.runner.getExecutionHistory(wf.executionArn(id), { maxResults: 1000 })).events;
const entered = async (id: string) => (await history(id)).flatMap((e) => (e.stateEnteredEventDetails ? [(e.stateEnteredEventDetails as { name: string }).name] : []));
const failedTries = async (id: string) => (await history(id)).flatMap((e) => (e.type === 'TaskFailed' ? [(e.taskFailedEventDetails as { error: string }).error] : []));

const listWallet = (tutorId: string) => walletWithLedger(tutorId, undefined, 20, 'NGN');

const deliverChargeSuccess = async (reference: string) => {
  const t = paystack.emulator.transactions.get(reference)!;
  const { body, signature } = signedWebhook({
    event: 'charge.success',
    data: { id: t.id, reference, amount: t.amount, currency: t.currency, status: t.status, metadata: t.metadata },
  });
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};

describe('The payment window ends on a booking Paystack says is paid', () => {
  it('confirms it as the webhook would, once, instead of cancelling it; the late webhook is a duplicate', async () => {
    const { id, reference, tutorId } = await book({ pays: true });
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    // The payment wait timed out and CancelUnpaid found the money: the Choice after it confirms.
    expect(await entered(id)).toEqual(['AwaitDecision', 'PreparePayment', 'AwaitPayment', 'CancelUnpaid', 'AfterCancellation', 'ConfirmBooking']);
    expect(done.stateTransitions).toBe(6);
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID', meetingUrl: expect.any(String) });
    expect(timeline.schedulesOf(id).map((x) => x.step)).toEqual(['REMIND', 'START', 'COMPLETE']);
    expect((await getPayment(reference))!.status).toBe('PAID');
    const credits = (await listWallet(tutorId)).items;
    expect(credits).toEqual([expect.objectContaining({ reference, kind: 'CREDIT' })]);

    const late = await deliverChargeSuccess(reference);
    expect(late).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
    expect((await listWallet(tutorId)).items).toHaveLength(1);
  }, 60_000);
});

describe('The payment window ends while Paystack cannot be asked', () => {
  it('retries the check with backoff, visibly in the execution, and confirms the booking once Paystack answers', async () => {
    const { id, reference, tutorId } = await book({ pays: true });
    verifyDown.set(id, { failures: 2, calls: 0 });
    const done = await finished(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(verifyDown.get(id)!.calls).toBe(3);
    expect(await failedTries(id)).toEqual(['PaymentUnverified', 'PaymentUnverified']);
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });
    expect((await listWallet(tutorId)).items).toEqual([expect.objectContaining({ reference, kind: 'CREDIT' })]);
  }, 60_000);

  it('cancels an unpaid booking once Paystack answers that nothing was paid', async () => {
    const { id, reference } = await book({ pays: false });
    verifyDown.set(id, { failures: 1, calls: 0 });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', currentState: 'Closed' });
    expect(await failedTries(id)).toEqual(['PaymentUnverified']);
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'PENDING', cancellationReason: expect.stringMatching(/payment window/) });
    expect((await getPayment(reference))!.status).toBe('PENDING');
  });

  it('never cancels blind: after its last retry the slot is kept and the execution ends in PaymentUnverified', async () => {
    const { id, reference, tutorId, scheduledAt } = await book({ pays: true });
    verifyDown.set(id, { failures: Number.POSITIVE_INFINITY, calls: 0 });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'FAILED', error: 'PaymentUnverified', currentState: 'PaymentUnverified' });
    const tries = verifyDown.get(id)!.calls;
    expect(tries).toBeGreaterThan(3);
    expect(await failedTries(id)).toEqual(Array(tries).fill('PaymentUnverified'));
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });
    expect((await getPayment(reference))!.status).toBe('PENDING');
    // The slot is still held: nobody else can book it.
    const other = await call(createSession, 'POST /sessions', {
      as: caller(`pw-other-${n}`, 'student'),
      body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Same slot', bookingMode: 'INSTANT' },
    });
    expect(other.status).toBe(409);
  }, 60_000);
});

describe('A step fails before payment on a booking Paystack says is paid', () => {
  it('is not released: ReleaseOnError confirms the payment and the execution ends in NeedsOperator', async () => {
    const { id, reference, tutorId } = await book({ pays: true, beforeStart: (student) => prepareBroken.add(student) });
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'FAILED', error: 'NeedsOperator' });
    expect((await entered(id)).slice(-3)).toEqual(['ReleaseOnError', 'AfterRelease', 'NeedsOperator']);
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });
    expect((await listWallet(tutorId)).items).toEqual([expect.objectContaining({ reference, kind: 'CREDIT' })]);
  }, 60_000);
});
