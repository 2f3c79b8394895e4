/**
 * REFUND_ISSUED reaches the student once per refunded payment (inbox and open connections):
 * also when the delivery that settled the refund stopped before telling anyone and Paystack
 * redelivers it, and for money that arrived for a session closed meanwhile (an orphan).
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { getPayment } from '../../shared/data/payments';
import { getSession, transitionSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { paystack as paystackClient } from '../../shared/integrations/paystack';
import { defaultPaystackWebhookDeps } from '../../shared/usecases/paystack-webhook';
import { settleRefund } from '../../shared/usecases/refund-settlement';
import { until } from '../support/local-stack';
import type { EmulatedTransaction } from '../../infra/local/emulators/paystack/emulator';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';
import { notificationsOf, useLocalWebSocket } from '../support/ws';
import { timelineTargets, useTimeline } from '../support/timeline';

const wf = useLocalWorkflow({ timeScale: 1 });
// The timeline's schedules, kept by the confirmation and the stream: on the local scheduler.
useTimeline({ targets: timelineTargets() });
useTableStreams();
const ws = useLocalWebSocket();
useTestTable();
const paystack = usePaystackEmulator();

let n = 0;
const parties = async () => {
  n += 1;
  const tutorId = `refund-tutor-${n}`;
  await givenTutor(tutorId);
  return { tutorId, student: caller(`refund-student-${n}`, 'student') };
};

const bookInstant = async (student: TestCaller, tutorId: string) => {
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: {
      tutorId,
      scheduledAt: new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000).toISOString(),
      durationMinutes: 60,
      title: 'Paid',
      bookingMode: 'INSTANT',
    },
  });
  expect(res.status).toBe(201);
  return res.body as { session: { id: string }; payment: { reference: string } };
};

const deliver = async (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};
const chargeSuccess = (t: EmulatedTransaction) => ({
  event: 'charge.success',
  data: { id: 1, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success', metadata: {} },
});
const refundProcessed = (t: EmulatedTransaction) => ({
  event: 'refund.processed',
  data: { status: 'processed', transaction_reference: t.reference, refund_reference: `rf-${t.reference}`, amount: t.amount, currency: t.currency },
});

/** Paystack processed the transaction's refund (its refund.processed webhook is out). */
const processedAtPaystack = (t: EmulatedTransaction) => until(async () => t.events.find((e) => e.event === 'refund.processed'), 10_000);

const refundsIn = async (userId: string, sessionId: string) =>
  (await listNotifications(userId, undefined, 50)).items.filter((i) => i.sessionId === sessionId && i.event === 'REFUND_ISSUED');

describe('REFUND_ISSUED', () => {
  it('is told once when the settling delivery stopped before telling anyone and Paystack redelivers', async () => {
    const { tutorId, student } = await parties();
    const socket = await ws.connect({ userId: student.sub });
    const { session, payment } = await bookInstant(student, tutorId);
    const t = paystack.emulator.settle(payment.reference, 'success');
    expect((await deliver(chargeSuccess(t))).body.outcome).toBe('credited');
    await paystackClient.refund({ transaction: payment.reference });
    await processedAtPaystack(t);

    const crashed = { ...defaultPaystackWebhookDeps, notify: async () => Promise.reject(new Error('Crashed before telling anyone')) };
    await expect(settleRefund(payment.reference, crashed)).rejects.toThrow('Crashed');
    expect((await getPayment(payment.reference))!.status).toBe('REFUNDED');
    expect(await refundsIn(student.sub, session.id)).toHaveLength(0);

    const redelivered = await Promise.all([deliver(refundProcessed(t)), deliver(refundProcessed(t)), deliver(refundProcessed(t))]);
    expect(redelivered.map((r) => r.body.outcome)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await refundsIn(student.sub, session.id)).toHaveLength(1);
    await socket.waitFor((f) => f?.notification?.event === 'REFUND_ISSUED');
    expect(notificationsOf(socket, 'REFUND_ISSUED')).toHaveLength(1);
    await socket.close();
  });

  it('is told once for money that arrived after the session was closed (an orphan refund)', async () => {
    const { tutorId, student } = await parties();
    const socket = await ws.connect({ userId: student.sub });
    const { session, payment } = await bookInstant(student, tutorId);
    // Closed while the workflow waits for the payment (as its payment window would close it).
    await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.waiting === 'CALLBACK', 10_000);
    await wf.service.runner.whenIdle(5_000);
    const s = (await getSession(session.id))!;
    const at = new Date().toISOString();
    await transitionSession(s, { ...s, status: 'CANCELLED', cancellationReason: 'Not paid within the payment window', cancelledAt: at, updatedAt: at });

    const t = paystack.emulator.settle(payment.reference, 'success');
    expect((await deliver(chargeSuccess(t))).body.outcome).toBe('orphaned');
    expect((await getPayment(payment.reference))!.status).toBe('REFUND_PENDING');
    await processedAtPaystack(t);
    const outcomes = [(await deliver(refundProcessed(t))).body.outcome, (await deliver(refundProcessed(t))).body.outcome];
    expect(outcomes).toEqual(['refunded', 'duplicate']);
    expect((await getSession(session.id))!.paymentStatus).toBe('REFUNDED');
    expect(await refundsIn(student.sub, session.id)).toHaveLength(1);
    await socket.waitFor((f) => f?.notification?.event === 'REFUND_ISSUED');
    expect(notificationsOf(socket, 'REFUND_ISSUED')).toHaveLength(1);
    await socket.close();
  });
});
