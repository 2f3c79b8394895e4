/**
 * Payments against DynamoDB Local, the local workflow and the Paystack emulator: opening a
 * transaction, the webhook (signature, verify before trust, mismatches, duplicates, races),
 * the wallet and refunds. Money must move exactly once.
 */
import type { EmulatedTransaction } from '../../infra/local/emulators/paystack/emulator';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as startPayment } from '../../functions/http/startPayment';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as getMyWallet } from '../../functions/http/getMyWallet';
import { handler as getTutorStats } from '../../functions/http/getTutorStats';
import { handler as getSession } from '../../functions/http/getSession';
import { getPayment } from '../../shared/data/payments';
import { getSession as loadSession } from '../../shared/data/sessions';
import { splitRevenue, type Money } from '../../shared/domain/money';
import { paystack as paystackClient, signWebhook } from '../../shared/integrations/paystack';
import { until } from '../support/local-stack';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, TEST_PAYSTACK_SECRET, usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { listNotifications } from '../../shared/data/notifications';
import { timelineTargets, useTimeline } from '../support/timeline';
import { recordDdbCalls } from '../support/ddb-calls';

const wf = useLocalWorkflow({ timeScale: 1 });
useTimeline({ targets: timelineTargets() });
useTableStreams();
useTestTable();
const paystack = usePaystackEmulator();
useZoomEmulator();

let n = 0;
const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(10, 0, 0, 0);
  return d.toISOString();
};

/** A tutor (rate 500,000 kobo/h) and a student of their own for each test. */
const parties = async () => {
  n += 1;
  const tutorId = `pay-tutor-${n}`;
  await givenTutor(tutorId, { hourlyRate: { amount: 500_001, currency: 'NGN' } });
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`pay-student-${n}`, 'student') };
};

const bookInstant = async (student: TestCaller, tutorId: string) => {
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: inDays(3), durationMinutes: 90, title: 'Paid', bookingMode: 'INSTANT' },
  });
  expect(res.status).toBe(201);
  return res.body as { session: { id: string; price: Money }; payment: { reference: string; authorizationUrl: string } };
};

const webhook = (body: string, signature?: string) =>
  call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', ...(signature ? { 'x-paystack-signature': signature } : {}) } });

const chargeSuccess = (t: Pick<EmulatedTransaction, 'reference' | 'amount' | 'currency'>) => ({
  event: 'charge.success',
  data: { id: 1, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success', metadata: {} },
});

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return webhook(body, signature);
};

const wallet = async (tutor: TestCaller) => (await call(getMyWallet, 'GET /me/wallet', { as: tutor })).body;

describe('Starting a payment', () => {
  it('returns a checkout for an INSTANT booking and records the transaction with the session', async () => {
    const { tutorId, student } = await parties();
    const { session, payment } = await bookInstant(student, tutorId);
    expect(payment.authorizationUrl).toContain('/checkout/');
    expect(payment.reference).toMatch(/^mtr-[0-9A-Z]{26}$/);
    // 500,001 kobo/h × 90 min = 750,001.5 → 750,002 (half up)
    expect(session.price).toEqual({ amount: 750_002, currency: 'NGN' });
    expect(await getPayment(payment.reference)).toMatchObject({ status: 'PENDING', sessionId: session.id, amount: session.price });
    expect(paystack.emulator.transactions.get(payment.reference)).toMatchObject({ amount: 750_002, currency: 'NGN', email: `${student.sub}@example.com` });
    expect((await loadSession(session.id))!.paymentReference).toBe(payment.reference);
  });

  it('creates nothing for a REQUEST before approval, then "Proceed to Payment" returns the same open transaction', async () => {
    const { tutorId, tutor, student } = await parties();
    const created = await call(createSession, 'POST /sessions', {
      as: student,
      body: { tutorId, scheduledAt: inDays(4), durationMinutes: 60, title: 'Request', bookingMode: 'REQUEST' },
    });
    expect(created.body.payment).toBeUndefined();
    const id = created.body.session.id;
    const early = await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: student, pathParameters: { sessionId: id } });
    expect(early.status).toBe(409);
    expect((await loadSession(id))!.paymentReference).toBeUndefined();

    await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } });
    // One read, Paystack's initialize (the answer is its checkout link), one transaction.
    const {
      result: first,
      calls,
      remote,
    } = await recordDdbCalls(() => call(startPayment, 'POST /sessions/{sessionId}/payment', { as: student, pathParameters: { sessionId: id } }));
    expect(first.status).toBe(200);
    expect(calls).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(remote).toEqual([expect.stringMatching(/^POST .*\/transaction\/initialize$/)]);
    const again = await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: student, pathParameters: { sessionId: id } });
    expect(again.body).toEqual(first.body);
    expect((await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: tutor, pathParameters: { sessionId: id } })).status).toBe(403);
    expect((await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: caller('other', 'student'), pathParameters: { sessionId: id } })).status).toBe(404);
  });

  it('answers 502 and holds nothing when Paystack is down', async () => {
    const { tutorId, student } = await parties();
    paystack.faults.add('paystack');
    try {
      const res = await call(createSession, 'POST /sessions', {
        as: student,
        body: { tutorId, scheduledAt: inDays(5), durationMinutes: 60, title: 'Down', bookingMode: 'INSTANT' },
      });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('PAYMENT_PROVIDER_UNAVAILABLE');
    } finally {
      paystack.faults.delete('paystack');
    }
    expect((await bookInstant(student, tutorId)).session.id).toEqual(expect.any(String));
  }, 60_000);
});

describe('The Paystack webhook', () => {
  it('refuses a missing, wrong or stale signature with 401 and changes nothing', async () => {
    const { tutorId, tutor, student } = await parties();
    const { payment } = await bookInstant(student, tutorId);
    const t = paystack.emulator.settle(payment.reference, 'success');
    const { body, signature } = signedWebhook(chargeSuccess(t));
    expect((await webhook(body)).status).toBe(401);
    expect(
      (
        await webhook(
          body,
          signature.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        )
      ).status,
    ).toBe(401);
    expect((await webhook(body, signedWebhook(chargeSuccess(t), 'sk_test_someone_else').signature)).status).toBe(401);
    const oneByte = body.replace('"success"', '"succesS"');
    expect((await webhook(oneByte, signature)).status).toBe(401);
    expect((await getPayment(payment.reference))!.status).toBe('PENDING');
    expect((await wallet(tutor)).balance.amount).toBe(0);
  });

  it('does not trust a validly signed charge.success that Paystack has not settled', async () => {
    const { tutorId, tutor, student } = await parties();
    const { session, payment } = await bookInstant(student, tutorId);
    const res = await deliver(chargeSuccess({ reference: payment.reference, amount: session.price.amount, currency: 'NGN' }));
    expect(res).toMatchObject({ status: 200, body: { outcome: 'not-paid' } });
    expect((await loadSession(session.id))!.paymentStatus).toBe('PENDING');
    expect((await wallet(tutor)).balance.amount).toBe(0);
  });

  it('credits a verified charge once: session PAID, 70 % rounded down to the tutor, a ledger entry, the workflow resumed', async () => {
    const { tutorId, tutor, student } = await parties();
    const { session, payment } = await bookInstant(student, tutorId);
    await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.waiting === 'CALLBACK', 10_000);
    const t = paystack.emulator.settle(payment.reference, 'success');
    const res = await deliver(chargeSuccess(t));
    expect(res).toMatchObject({ status: 200, body: { outcome: 'credited' } });
    const share = splitRevenue(session.price).tutorShare.amount;
    expect(share).toBe(525_001); // floor(0.7 × 750,002)
    expect((await loadSession(session.id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });
    const w = await wallet(tutor);
    expect(w.balance).toEqual({ amount: share, currency: 'NGN' });
    expect(w.items).toEqual([expect.objectContaining({ reference: payment.reference, kind: 'CREDIT', amount: { amount: share, currency: 'NGN' } })]);
    const stats = (await call(getTutorStats, 'GET /tutor/stats', { as: tutor })).body;
    expect(stats).toMatchObject({ grossRevenue: session.price, tutorEarnings: { amount: share, currency: 'NGN' }, walletBalance: { amount: share, currency: 'NGN' } });
    await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.status === 'SUCCEEDED', 10_000);
    await wf.service.runner.whenIdle(5_000);
    const events = (await listNotifications(student.sub, undefined, 20)).items.map((x) => x.event);
    expect(events).toContain('BOOKING_CONFIRMED');
    expect((await listNotifications(tutorId, undefined, 20)).items.map((x) => x.event)).toContain('PAYMENT_RECEIVED');
  });

  it('credits once when the same event arrives 8 times at once, and answers 200 to every copy', async () => {
    const { tutorId, tutor, student } = await parties();
    const { session, payment } = await bookInstant(student, tutorId);
    const t = paystack.emulator.settle(payment.reference, 'success');
    const results = await Promise.all(Array.from({ length: 8 }, () => deliver(chargeSuccess(t))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.outcome === 'credited')).toHaveLength(1);
    const w = await wallet(tutor);
    expect(w.balance.amount).toBe(splitRevenue(session.price).tutorShare.amount);
    expect(w.items).toHaveLength(1);
    const later = await deliver(chargeSuccess(t));
    expect(later.body.outcome).toBe('duplicate');
    expect((await wallet(tutor)).balance.amount).toBe(splitRevenue(session.price).tutorShare.amount);
  });

  it('records and flags an amount or currency mismatch, never crediting it', async () => {
    for (const tamper of [(t: EmulatedTransaction) => (t.amount -= 1), (t: EmulatedTransaction) => (t.currency = 'GHS')]) {
      const { tutorId, tutor, student } = await parties();
      const { session, payment } = await bookInstant(student, tutorId);
      const t = paystack.emulator.settle(payment.reference, 'success');
      tamper(t);
      const res = await deliver(chargeSuccess(t));
      expect(res).toMatchObject({ status: 200, body: { outcome: 'rejected' } });
      expect(await getPayment(payment.reference)).toMatchObject({ status: 'MISMATCH', problem: expect.any(String) });
      expect((await loadSession(session.id))!.paymentStatus).toBe('PENDING');
      expect((await wallet(tutor)).balance.amount).toBe(0);
    }
  });

  it('marks a failed charge FAILED, credits nothing, and lets the student start a new payment', async () => {
    const { tutorId, tutor, student } = await parties();
    const created = await call(createSession, 'POST /sessions', {
      as: student,
      body: { tutorId, scheduledAt: inDays(6), durationMinutes: 60, title: 'Request', bookingMode: 'REQUEST' },
    });
    const id = created.body.session.id;
    await call(approveSession, 'POST /sessions/{sessionId}/approve', { as: tutor, pathParameters: { sessionId: id } });
    const first = (await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: student, pathParameters: { sessionId: id } })).body;
    const t = paystack.emulator.settle(first.reference, 'failed');
    const res = await deliver(chargeSuccess(t));
    expect(res.body.outcome).toBe('rejected');
    expect((await getPayment(first.reference))!.status).toBe('FAILED');
    const second = (await call(startPayment, 'POST /sessions/{sessionId}/payment', { as: student, pathParameters: { sessionId: id } })).body;
    expect(second.reference).not.toBe(first.reference);
    const paid = paystack.emulator.settle(second.reference, 'success');
    expect((await deliver(chargeSuccess(paid))).body.outcome).toBe('credited');
    expect((await call(getSession, 'GET /sessions/{sessionId}', { as: student, pathParameters: { sessionId: id } })).body.paymentStatus).toBe('PAID');
  });

  it('answers malformed or unknown events with a 4xx or 200, never a 5xx', async () => {
    const bodies = [
      '',
      'not json',
      '[]',
      '{"event":"charge.success"}',
      '{"event":"charge.success","data":{"reference":5}}',
      JSON.stringify({ event: 'transfer.success', data: {} }),
    ];
    for (const body of bodies) {
      const signed = await webhook(body, signWebhook(body, TEST_PAYSTACK_SECRET));
      expect(signed.status).toBeLessThan(500);
      const unsigned = await webhook(body);
      expect(unsigned.status).toBe(401);
    }
    const unknown = await deliver(chargeSuccess({ reference: 'mtr-NOTOURS', amount: 1, currency: 'NGN' }));
    expect(unknown).toMatchObject({ status: 200, body: { outcome: 'unknown-reference' } });
  });
});

describe('Refunds', () => {
  it('refunds a paid session once: payment and session REFUNDED, the credit reversed with its own ledger entry', async () => {
    const { tutorId, tutor, student } = await parties();
    const { session, payment } = await bookInstant(student, tutorId);
    const t = paystack.emulator.settle(payment.reference, 'success');
    await deliver(chargeSuccess(t));
    await paystackClient.refund({ transaction: payment.reference });
    const processed = await until(async () => t.events.find((e) => e.event === 'refund.processed'), 10_000);
    const results = await Promise.all([deliver(processed), deliver(processed), deliver(processed)]);
    expect(results.filter((r) => r.body.outcome === 'refunded')).toHaveLength(1);
    expect((await getPayment(payment.reference))!.status).toBe('REFUNDED');
    expect((await loadSession(session.id))!.paymentStatus).toBe('REFUNDED');
    const w = await wallet(tutor);
    expect(w.balance.amount).toBe(0);
    expect(w.items.map((e: { kind: string }) => e.kind).sort()).toEqual(['CREDIT', 'REVERSAL']);
    expect((await listNotifications(student.sub, undefined, 20)).items.map((x) => x.event)).toContain('REFUND_ISSUED');
  });
});
