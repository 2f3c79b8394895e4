/**
 * Refunds against DynamoDB Local, the local workflow, the table stream's consumers and the
 * Paystack and Zoom emulators: money moves by what Paystack itself says, exactly once, however
 * often and concurrently its webhooks come.
 */
import type { EmulatedTransaction } from '../../infra/local/emulators/paystack/emulator';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as cancelHandler } from '../../functions/http/cancelSession';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as getMyWallet } from '../../functions/http/getMyWallet';
import { handler as listAdminRefunds } from '../../functions/http/listAdminRefunds';
import { getPayment } from '../../shared/data/payments';
import { getRefund } from '../../shared/data/refunds';
import { getSession } from '../../shared/data/sessions';
import { listNotifications } from '../../shared/data/notifications';
import { splitRevenue } from '../../shared/domain/money';
import { paystack as paystackClient, PaystackError } from '../../shared/integrations/paystack';
import { call, caller, type TestCaller } from '../support/http';
import { givenTutor } from '../support/fixtures';
import { captureLogs } from '../support/logs';
import { until } from '../support/local-stack';
import { useLocalWorkflow } from '../support/workflow';
import { useTableStreams } from '../support/streams';
import { useTestTable } from '../support/table';
import { signedWebhook, TEST_PAYSTACK_SECRET, usePaystackEmulator } from '../support/paystack';
import { useZoomEmulator } from '../support/zoom';
import { timelineTargets, useTimeline } from '../support/timeline';

const wf = useLocalWorkflow({ timeScale: 1 });
// The timeline's schedules, kept by the confirmation and the stream: on the local scheduler.
useTimeline({ targets: timelineTargets() });
const streams = useTableStreams();
useTestTable();
const paystack = usePaystackEmulator();
const zoom = useZoomEmulator();

const PRICE = 500_001;
let n = 0;
const parties = async () => {
  n += 1;
  const tutorId = `rf-tutor-${n}`;
  await givenTutor(tutorId, { hourlyRate: { amount: PRICE, currency: 'NGN' } });
  return { tutorId, tutor: caller(tutorId, 'tutor'), student: caller(`rf-student-${n}`, 'student') };
};
/** On the quarter-hour grid, `days` ahead, a different hour per test. */
const startIn = (days: number) => new Date(Math.ceil((Date.now() + days * 86_400_000) / 900_000) * 900_000 + n * 3_600_000).toISOString();

const deliver = (event: unknown) => {
  const { body, signature } = signedWebhook(event);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};

const wallet = async (tutor: TestCaller) => (await call(getMyWallet, 'GET /me/wallet', { as: tutor })).body;
const eventsOf = async (userId: string, sessionId: string) => (await listNotifications(userId, undefined, 50)).items.filter((i) => i.sessionId === sessionId).map((i) => i.event);

/** A paid INSTANT booking, its charge credited; `meeting` waits for its Zoom meeting too. */
const paidBooking = async (student: TestCaller, tutorId: string, opts: { meeting?: boolean } = {}) => {
  const res = await call(createSession, 'POST /sessions', {
    as: student,
    body: { tutorId, scheduledAt: startIn(4), durationMinutes: 60, title: 'Refunds', bookingMode: 'INSTANT' },
  });
  expect(res.status).toBe(201);
  const { session, payment } = res.body as { session: { id: string; scheduledAt: string }; payment: { reference: string } };
  await wf.service.runner.waitFor(wf.executionArn(session.id), (d) => d.waiting === 'CALLBACK', 10_000);
  const t = paystack.emulator.settle(payment.reference, 'success');
  const charged = await deliver({ event: 'charge.success', data: { id: t.id, reference: t.reference, amount: t.amount, currency: t.currency, status: 'success' } });
  expect(charged.body.outcome).toBe('credited');
  if (opts.meeting) await until(async () => ((await getSession(session.id))?.meetingId ? true : undefined), 10_000);
  return { id: session.id, scheduledAt: session.scheduledAt, reference: payment.reference, t };
};

/** A refund made in Paystack's dashboard (not by us), straight to its API. */
const dashboardRefund = async (reference: string, amount?: number) => {
  const res = await realFetch(`${paystack.emulator.url}/refund`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_PAYSTACK_SECRET}`, 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: reference, ...(amount ? { amount } : {}) }),
  });
  expect(res.status).toBe(200);
};

/** The refund.processed webhooks Paystack sent for the transaction so far (waiting for `count`). */
const processedEvents = (t: EmulatedTransaction, count = 1) =>
  until(async () => {
    const events = t.events.filter((e) => e.event === 'refund.processed');
    return events.length >= count ? events : undefined;
  }, 10_000);

// Paystack's answers to POST /refund, reworded or refused at will (the client calls fetch).
const realFetch = globalThis.fetch.bind(globalThis);
let refundRefusals: { message: string; left: number } | undefined;
const intercept = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (refundRefusals && refundRefusals.left > 0 && init?.method === 'POST' && new URL(url).pathname === '/refund') {
    refundRefusals.left -= 1;
    return new Response(JSON.stringify({ status: false, message: refundRefusals.message }), { status: 400, headers: { 'content-type': 'application/json' } });
  }
  return realFetch(input, init);
};
beforeAll(() => jest.spyOn(globalThis, 'fetch').mockImplementation(intercept));
afterEach(() => {
  refundRefusals = undefined;
  jest.restoreAllMocks();
  jest.spyOn(globalThis, 'fetch').mockImplementation(intercept);
});
afterAll(() => jest.restoreAllMocks());

const originalRefund = paystackClient.refund.bind(paystackClient);

const cancel = (as: TestCaller, id: string) => call(cancelHandler, 'POST /sessions/{sessionId}/cancel', { as, pathParameters: { sessionId: id }, body: { reason: 'Unwell' } });

describe('A refund webhook', () => {
  it('changes nothing when Paystack has no such refund: the payment stays PAID, the credit and the booking stay', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference } = await paidBooking(student, tutorId);
    const share = splitRevenue({ amount: PRICE, currency: 'NGN' }).tutorShare.amount;
    const forged = { event: 'refund.processed', data: { status: 'processed', transaction_reference: reference, refund_reference: 'RF-FORGED', amount: 1, currency: 'NGN' } };
    const res = await deliver(forged);
    expect(res.status).toBe(200);
    expect(res.body.outcome).not.toBe('refunded');
    expect((await getPayment(reference))!.status).toBe('PAID');
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });
    expect((await wallet(tutor)).balance.amount).toBe(share);
  });

  it('reverses the tutor’s share of exactly the part Paystack refunded, once, however often it comes', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    const paid = { amount: PRICE, currency: 'NGN' as const };
    const part = 100_001;
    await dashboardRefund(reference, part);
    const [event] = await processedEvents(t);
    const results = await Promise.all(Array.from({ length: 4 }, () => deliver(event)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.filter((r) => r.body.outcome === 'refunded')).toHaveLength(1);

    // What the tutor keeps is their share of what the student finally paid.
    const kept = splitRevenue({ amount: PRICE - part, currency: 'NGN' }).tutorShare.amount;
    const w = await wallet(tutor);
    expect(w.balance.amount).toBe(kept);
    expect(w.grossRevenue.amount).toBe(PRICE - part);
    const reversals = w.items.filter((e: { kind: string }) => e.kind === 'REVERSAL');
    expect(reversals).toEqual([expect.objectContaining({ reference, amount: { amount: kept - splitRevenue(paid).tutorShare.amount, currency: 'NGN' } })]);
    expect(await getPayment(reference)).toMatchObject({ status: 'PAID', refundedAmount: part });
    expect((await getSession(id))!).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PAID' });

    // The rest refunded later: the tutor's share is then reversed in full, the shares still add up.
    await dashboardRefund(reference);
    const [, second] = await processedEvents(t, 2);
    expect((await deliver(second)).body.outcome).toBe('refunded');
    expect((await deliver(event)).body.outcome).toBe('duplicate');
    const after = await wallet(tutor);
    expect(after.balance.amount).toBe(0);
    expect(after.grossRevenue.amount).toBe(0);
    expect(await getPayment(reference)).toMatchObject({ status: 'REFUNDED', refundedAmount: PRICE });
  });

  it('reports a refund failure only when Paystack lists one (refund.failed is no more trusted than refund.processed)', async () => {
    const { tutorId, tutor, student } = await parties();
    const { reference, t } = await paidBooking(student, tutorId);
    const failedEvent = { event: 'refund.failed', data: { status: 'failed', transaction_reference: reference, refund_reference: null, amount: String(PRICE), currency: 'NGN' } };
    const lines = await captureLogs(async () => expect((await deliver(failedEvent)).body.outcome).toBe('unconfirmed'));
    expect(lines.filter((l) => l.message === 'Refund failed at Paystack')).toEqual([]);

    await dashboardRefund(reference);
    await processedEvents(t);
    // Paystack's bank bounced it after all (the emulator only processes refunds: set by hand).
    t.refunds[0]!.status = 'failed';
    const reported = await captureLogs(async () => expect((await deliver(failedEvent)).body.outcome).toBe('refund-failed'));
    expect(reported.filter((l) => l.message === 'Refund failed at Paystack')).toHaveLength(1);
    expect((await getPayment(reference))!.status).toBe('PAID');
    expect((await wallet(tutor)).balance.amount).toBe(splitRevenue({ amount: PRICE, currency: 'NGN' }).tutorShare.amount);
  });

  it('closes a booked session Paystack refunded in full: cancelled, slot freed, workflow ended, meeting deleted, both told', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, scheduledAt, t } = await paidBooking(student, tutorId, { meeting: true });
    const meetingId = (await getSession(id))!.meetingId!;
    expect(zoom.emulator.meetings.has(meetingId)).toBe(true);

    await dashboardRefund(reference);
    const [event] = await processedEvents(t);
    const results = await Promise.all([deliver(event), deliver(event)]);
    expect(results.filter((r) => r.body.outcome === 'refunded')).toHaveLength(1);

    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED', cancelledBy: 'SYSTEM' });
    expect((await getPayment(reference))!.status).toBe('REFUNDED');
    expect((await wallet(tutor)).balance.amount).toBe(0);
    const ended = await wf.service.runner.waitFor(wf.executionArn(id), (d) => d.status !== 'RUNNING', 10_000);
    expect(ended.status).not.toBe('RUNNING');
    // The meeting follows the close through the table stream (a meeting sync written with it), once.
    await streams.idle();
    expect(zoom.emulator.meetings.has(meetingId)).toBe(false);
    expect(zoom.emulator.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/meetings/${meetingId}`))).toHaveLength(1);
    expect(await eventsOf(student.sub, id)).toEqual(expect.arrayContaining(['SESSION_CANCELLED', 'REFUND_ISSUED']));
    expect(await eventsOf(tutorId, id)).toContain('SESSION_CANCELLED');
    // The slot is free again.
    const again = await call(createSession, 'POST /sessions', {
      as: caller(`rf-other-${n}`, 'student'),
      body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Next', bookingMode: 'INSTANT' },
    });
    expect(again.status).toBe(201);
  });
});

describe('A refund owed by a cancel', () => {
  it('is asked of Paystack again after a failed request, until Paystack accepts it, and only once', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    const refund = jest.spyOn(paystackClient, 'refund');
    refund.mockRejectedValueOnce(new PaystackError({ code: 'UNAVAILABLE', operation: 'refund', message: 'An error occurred', status: 500, attempts: 4 }));

    const res = await cancel(tutor, id);
    expect(res.status).toBe(200);
    expect(res.body.refund).toMatchObject({ amount: { amount: PRICE, currency: 'NGN' }, status: 'PENDING' });
    const [event] = await processedEvents(t);
    expect((await deliver(event)).body.outcome).toBe('refunded');
    expect(t.refunds).toHaveLength(1);
    expect((await getPayment(reference))!.status).toBe('REFUNDED');
    expect((await wallet(tutor)).balance.amount).toBe(0);
  });

  it('is not asked twice when Paystack took the request but its answer was lost', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    jest.spyOn(paystackClient, 'refund').mockImplementationOnce(async (req) => {
      await originalRefund(req);
      throw new PaystackError({ code: 'TIMEOUT', operation: 'refund', message: 'no answer within 5000 ms', attempts: 4 });
    });

    expect((await cancel(tutor, id)).status).toBe(200);
    await until(async () => ((await getRefund(reference))?.status === 'REQUESTED' ? true : undefined), 10_000);
    await streams.idle();
    // Found in Paystack's list by the payment reference in its note, not asked for again.
    expect((await getRefund(reference))!.paystackRefundId).toBe(t.refunds[0]!.id);
    const [event] = await processedEvents(t);
    expect((await deliver(event)).body.outcome).toBe('refunded');
    expect(t.refunds).toHaveLength(1);
    expect((await getRefund(reference))!.status).toBe('REFUNDED');
  });

  it('is shown to operators with its state, by status', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    jest.spyOn(paystackClient, 'refund').mockRejectedValue(new PaystackError({ code: 'UNAVAILABLE', operation: 'refund', message: 'An error occurred', status: 500, attempts: 4 }));
    expect((await cancel(tutor, id)).status).toBe(200);
    const admin = caller('rf-admin', 'admin');
    const owed = await until(async () => {
      const res = await call(listAdminRefunds, 'GET /admin/refunds', { as: admin, query: { status: 'OWED' } });
      const mine = (res.body.items as { reference: string; attempts: number }[]).find((r) => r.reference === reference);
      return mine && mine.attempts > 0 ? mine : undefined;
    }, 10_000);
    expect(owed).toMatchObject({ reference, sessionId: id, status: 'OWED', amount: { amount: PRICE, currency: 'NGN' }, lastError: expect.stringContaining('UNAVAILABLE') });
    expect((await call(listAdminRefunds, 'GET /admin/refunds', { as: tutor, query: { status: 'OWED' } })).status).toBe(403);
    expect((await call(listAdminRefunds, 'GET /admin/refunds', { as: admin, query: { status: 'LOST' } })).status).toBe(400);
    await streams.idle(30_000);
    // Given up on by the stream (the dead-letter queue); still owed, and still listed.
    expect(streams.streams.deadLetters.some((d) => d.consumer === 'requestRefunds' && d.record.dynamodb?.Keys?.pk?.S === `PAYMENT#${reference}`)).toBe(true);
    expect(t.refunds).toHaveLength(0);
    expect((await getRefund(reference))!.status).toBe('OWED');
  }, 60_000);
});

describe('Whether Paystack refunded already', () => {
  it('is not taken from the wording of a refusal: a refund refused as “fully reversed” that is not is asked again', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    refundRefusals = { message: 'Transaction has been fully reversed', left: 1 };
    expect((await cancel(tutor, id)).status).toBe(200);
    const [event] = await processedEvents(t);
    expect(t.refunds).toHaveLength(1);
    expect((await deliver(event)).body.outcome).toBe('refunded');
    expect((await getPayment(reference))!.status).toBe('REFUNDED');
  });

  it('is read from Paystack’s state: a refund refused in any words for a transaction Paystack has reversed is done', async () => {
    const { tutorId, tutor, student } = await parties();
    const { id, reference, t } = await paidBooking(student, tutorId);
    await dashboardRefund(reference);
    const [event] = await processedEvents(t);
    refundRefusals = { message: 'Refund not possible for this transaction', left: 10 };
    const lines = await captureLogs(async () => {
      expect((await cancel(tutor, id)).status).toBe(200);
      await until(async () => ((await getRefund(reference))?.status === 'REQUESTED' ? true : undefined), 10_000);
    });
    expect(lines.filter((l) => l.level === 'ERROR')).toEqual([]);
    expect(t.refunds).toHaveLength(1);
    expect((await deliver(event)).body.outcome).toBe('refunded');
    expect((await getSession(id))!).toMatchObject({ status: 'CANCELLED', paymentStatus: 'REFUNDED' });
    expect((await wallet(tutor)).balance.amount).toBe(0);
  });
});
