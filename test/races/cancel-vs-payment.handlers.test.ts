/**
 * The cancel-vs-payment race at the handler level, where the test holds the webhook
 * (test/races/cancel-vs-payment.test.ts runs it end to end): the real handlers on DynamoDB
 * Local, the local workflow and the Paystack emulator in-process, so each round can settle the
 * charge at Paystack first, then fire the cancel and the charge.success webhook (twice, as a
 * redelivery might) at the same moment, and deliver refund.processed twice as well. Every
 * round is a new tutor, so each wallet starts at 0.
 */
import { handler as createSession } from '../../functions/http/createSession';
import { handler as cancelHandler } from '../../functions/http/cancelSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as getMyWallet } from '../../functions/http/getMyWallet';
import { getPayment } from '../../shared/data/payments';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { paystack as paystackClient } from '../../shared/integrations/paystack';
import { call, caller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { captureLogs } from '../support/logs';
import { until } from '../support/local-stack';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

useLocalWorkflow({ timeScale: 1 });
// The timeline's schedules, kept by the confirmation and the stream: on the local scheduler.
useTimeline({ targets: timelineTargets() });
// The refund a cancel (or a late charge) records is asked of Paystack by this consumer.
useTableStreams({ consumers: ['requestRefunds'] });
useTestTable();
const paystack = usePaystackEmulator();
useZoomEmulator();

const ROUNDS = 10;
const PRICE = 500_000;
const SHARE = Math.floor((PRICE * 70) / 100);

/** Refund requests made to Paystack, by transaction: the real client, only counted. */
let refundSpy: jest.SpyInstance;
beforeAll(() => {
  refundSpy = jest.spyOn(paystackClient, 'refund');
});
afterAll(() => refundSpy.mockRestore());
const refundRequests = (reference: string) => refundSpy.mock.calls.filter(([req]) => (req as { transaction: string }).transaction === reference).length;

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};

/** A start on the grid `days` ahead: well outside the 24-hour notice, so the student's cancel refunds in full too. */
const startIn = (days: number, n: number) => new Date(Math.ceil((Date.now() + days * 86_400_000) / 900_000) * 900_000 + n * 3_600_000).toISOString();

const round = async (n: number) => {
  const tutorId = `race-tutor-${n}`;
  await givenTutor(tutorId, { hourlyRate: { amount: PRICE, currency: 'NGN' } });
  const tutor = caller(tutorId, 'tutor');
  const student = caller(`race-student-${n}`, 'student');
  const booked = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: startIn(10, n), durationMinutes: 60, title: 'Race', bookingMode: 'INSTANT' },
  });
  expect(booked.status).toBe(201);
  const { session, payment } = booked.body;
  const t = paystack.emulator.settle(payment.reference, 'success');
  const charge = { event: 'charge.success', data: { id: t.id, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success' } };
  const canceller = n % 2 === 0 ? student : tutor;
  const cancel = () => call(cancelHandler, 'POST /sessions/{sessionId}/cancel', { as: canceller, pathParameters: { sessionId: session.id }, body: { reason: `Race ${n}` } });

  // Which leaves first alternates; the second charge.success is Paystack redelivering.
  const fired = n % 4 < 2 ? [cancel(), deliver(charge), deliver(charge)] : [deliver(charge), cancel(), deliver(charge)];
  const [first, second, third] = await Promise.all(fired);
  const cancelled = n % 4 < 2 ? first! : second!;
  const webhooks = n % 4 < 2 ? [second!, third!] : [first!, third!];
  expect(cancelled.status).toBe(200);
  expect(webhooks.map((w) => w.status)).toEqual([200, 200]);

  // Paystack processes the refund a moment later; its webhook arrives twice at once.
  const refund = await until(async () => t.events.find((e) => e.event === 'refund.processed'), 5_000);
  const settled = await Promise.all([deliver(refund), deliver(refund)]);
  expect(settled.map((s) => s.status)).toEqual([200, 200]);

  // The money invariants, whatever the interleaving: one refund asked of Paystack; the wallet back
  // at 0 with no entries (the charge came after the cancel, never credited) or a credit and its
  // reversal; the student told once.
  expect((await getSession(session.id))!.status).toBe('CANCELLED');
  expect((await getPayment(payment.reference))!.status).toBe('REFUNDED');
  expect(t.refunds).toHaveLength(1);
  expect(refundRequests(payment.reference)).toBe(1);

  const wallet = (await call(getMyWallet, 'GET /me/wallet', { as: tutor })).body;
  expect(wallet.balance.amount).toBe(0);
  const entries = (wallet.items as { kind: string; amount: { amount: number } }[]).map((e) => [e.kind, e.amount.amount]).sort();
  const credited = entries.length > 0;
  expect(entries).toEqual(
    credited
      ? [
          ['CREDIT', SHARE],
          ['REVERSAL', -SHARE],
        ]
      : [],
  );
  expect(cancelled.body.refund).toEqual(credited ? { amount: { amount: PRICE, currency: 'NGN' }, status: 'PENDING' } : null);
  expect((await getSession(session.id))!.paymentStatus).toBe('REFUNDED');

  const told = (await listNotifications(student.sub, undefined, 50)).items.filter((x) => x.event === 'REFUND_ISSUED' && x.sessionId === session.id);
  expect(told).toHaveLength(1);
  return credited;
};

describe('A cancel and the charge.success webhook of the same session, at once', () => {
  it(`refund the charge once and leave the tutor's wallet at 0, in ${ROUNDS} rounds`, async () => {
    for (let n = 0; n < ROUNDS; n += 1) {
      // The product's own log lines are kept off the console, and looked at: nothing failed.
      let credited = false;
      const lines = await captureLogs(async () => (credited = await round(n)));
      expect(lines.filter((l) => l.level === 'ERROR')).toEqual([]);
      // A charge that found the session cancelled was taken back as such, once.
      expect(lines.filter((l) => l.message === 'Payment for a closed session; refunding it')).toHaveLength(credited ? 0 : 1);
    }
  }, 60_000);
});
