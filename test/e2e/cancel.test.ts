/**
 * Cancelling on the local stack, over HTTP and the WebSocket API, with the policy of
 * shared/domain/cancellation.ts: an unpaid request is released (slot free, workflow ended,
 * tutor told); a paid session cancelled by its tutor is refunded in full through the Paystack
 * emulator, the tutor's credit reversed once and the Zoom meeting deleted; a student's late
 * cancel keeps the money where it is; outsiders and blank reasons change nothing.
 */
import { useLocalStack, slotIn, until } from '../support/local-stack';
import { signedWebhook } from '../support/paystack';
import type { TestSocket } from '../support/ws';
import {
  book,
  bookAndPay,
  executionOf,
  gridIn,
  inboxOf,
  ledgerOf,
  connectAs,
  paystackLog,
  useE2eUsers,
  paystackTransaction,
  pushed,
  sessionOf,
  sessionWhen,
  walletOf,
  zoomOf,
} from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'cancel');
const sockets: TestSocket[] = [];

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
});

const socketOf = async (userId: string) => {
  const s = await connectAs(stack, userId);
  sockets.push(s);
  return s;
};

const cancel = (id: string, as: string, body: unknown = { reason: 'Something came up' }) => stack.api('POST', `/sessions/${id}/cancel`, { as, body });

describe('A student cancelling an unpaid request', () => {
  it('frees the slot, tells the tutor over the WebSocket and ends the workflow', async () => {
    const tutor = await socketOf(u.ada);
    const at = slotIn(12, 9);
    const created = await book(stack, u.bola, { tutorId: u.ada, scheduledAt: at, bookingMode: 'REQUEST' });
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    // The execution is waiting for the tutor's decision: the cancel has something to end.
    await until(async () => ((await executionOf(stack, id))?.detail === 'waiting for a callback' ? true : undefined));

    const res = await cancel(id, u.bola);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ session: { id, status: 'CANCELLED', cancelledBy: 'STUDENT', cancellationReason: 'Something came up' }, refund: null });

    expect((await pushed(tutor, 'SESSION_CANCELLED', id)).notification).toMatchObject({ sessionId: id, event: 'SESSION_CANCELLED' });
    const ended = await until(async () => {
      const e = await executionOf(stack, id);
      return e && e.status !== 'RUNNING' ? e : undefined;
    });
    expect(ended.status).toBe('SUCCEEDED');

    const again = await book(stack, u.chidi, { tutorId: u.ada, scheduledAt: at, bookingMode: 'REQUEST' });
    expect(again.status).toBe(201);
    expect((await cancel(id, u.bola)).status).toBe(409);
  });
});

describe('A tutor cancelling a paid session', () => {
  it('refunds it in full once: Paystack refunds, the student is told, the credit is reversed, the meeting is deleted', async () => {
    const student = await socketOf(u.chidi);
    const before = await walletOf(stack, u.tunde);
    const { session, reference } = await bookAndPay(stack, u.chidi, { tutorId: u.tunde, scheduledAt: slotIn(14, 11) });
    const share = Math.floor((session.price.amount * 70) / 100);
    expect((await walletOf(stack, u.tunde)).balance.amount).toBe(before.balance.amount + share);
    const meetingId = session.meetingId;
    const zoom = zoomOf(stack);
    expect(await zoom.meeting(meetingId)).toBeDefined();

    const res = await cancel(session.id, u.tunde, { reason: 'Unwell' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ session: { status: 'CANCELLED', cancelledBy: 'TUTOR' }, refund: { amount: session.price, status: 'PENDING' } });

    const refunded = await sessionWhen(stack, session.id, u.chidi, (s) => s.paymentStatus === 'REFUNDED');
    expect(refunded.status).toBe('CANCELLED');
    const log = paystackLog(stack);
    await until(async () => ((await log.refundDelivered(reference)) ? true : undefined));
    expect(await paystackTransaction(stack, reference)).toMatchObject({ status: 'reversed', amount: session.price.amount });
    expect((await pushed(student, 'REFUND_ISSUED', session.id)).notification.sessionId).toBe(session.id);
    // The table stream deletes the meeting, after the answer.
    await until(async () => ((await zoom.meeting(meetingId)) === undefined ? true : undefined));

    const settled = async () => {
      const wallet = await walletOf(stack, u.tunde);
      expect(wallet.balance.amount).toBe(before.balance.amount);
      const entries = ledgerOf(wallet, session.id);
      expect(entries.map((e) => [e.kind, e.amount.amount]).sort()).toEqual([
        ['CREDIT', share],
        ['REVERSAL', -share],
      ]);
      expect(await log.refundsOf(reference)).toBe(1);
      expect(await inboxOf(stack, u.chidi, 'REFUND_ISSUED', session.id)).toHaveLength(1);
    };
    await settled();

    // Paystack redelivers refund.processed; the tutor cancels again: still one refund, one reversal.
    const event = {
      event: 'refund.processed',
      data: { status: 'processed', transaction_reference: reference, refund_reference: 'RF1', amount: session.price.amount, currency: 'NGN', id: 1 },
    };
    const { body, signature } = signedWebhook(event);
    const replays = await Promise.all(
      [1, 2, 3].map(() => stack.api('POST', '/webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } })),
    );
    expect(replays.map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await cancel(session.id, u.tunde)).status).toBe(409);
    await settled();
    expect((await sessionOf(stack, session.id, u.chidi)).paymentStatus).toBe('REFUNDED');
  });
});

describe("A student's cancel of a paid session", () => {
  it("refunds nothing less than 24 hours before the start: the payment and the tutor's share stay", async () => {
    const before = await walletOf(stack, u.ada);
    const { session, reference } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: gridIn(6 * 60) });
    const share = Math.floor((session.price.amount * 70) / 100);

    const res = await cancel(session.id, u.bola, { reason: 'Plans changed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ session: { status: 'CANCELLED', cancelledBy: 'STUDENT', paymentStatus: 'PAID' }, refund: null });
    // No refund is owed, so none is recorded for the stream's consumer to ask for.
    expect(await paystackLog(stack).refundCalls(reference)).toBe(0);
    expect((await paystackTransaction(stack, reference)).status).toBe('success');
    const wallet = await walletOf(stack, u.ada);
    expect(wallet.balance.amount).toBe(before.balance.amount + share);
    expect(ledgerOf(wallet, session.id).map((e) => e.kind)).toEqual(['CREDIT']);
    expect((await sessionOf(stack, session.id, u.bola)).paymentStatus).toBe('PAID');
  });

  it('refunds in full 24 hours or more before the start', async () => {
    const before = await walletOf(stack, u.ada);
    const { session, reference } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: slotIn(3, 15) });
    const res = await cancel(session.id, u.bola);
    expect(res.body.refund).toEqual({ amount: session.price, status: 'PENDING' });
    await sessionWhen(stack, session.id, u.bola, (s) => s.paymentStatus === 'REFUNDED');
    // The emulator logs a delivery once our answer is back: wait for the line, then count.
    await until(async () => ((await paystackLog(stack).refundDelivered(reference)) ? true : undefined));
    expect(await paystackLog(stack).refundsOf(reference)).toBe(1);
    expect((await walletOf(stack, u.ada)).balance.amount).toBe(before.balance.amount);
  });
});

describe('Cancels that change nothing', () => {
  it('answers 404 to a stranger and 400 to a blank reason, and the session stays as it was', async () => {
    const created = await book(stack, u.bola, { tutorId: u.tunde, scheduledAt: slotIn(16, 9), bookingMode: 'REQUEST' });
    const id = created.body.session.id;
    const before = await sessionOf(stack, id, u.bola);

    for (const stranger of [u.chidi, u.ada]) {
      const res = await cancel(id, stranger);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    for (const body of [{ reason: '' }, { reason: '   ' }, {}, { reason: 'ok', refund: true }]) {
      const res = await cancel(id, u.bola, body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(await sessionOf(stack, id, u.bola)).toEqual({ ...before, startsInSeconds: expect.any(Number) });
    // Still held: nobody else can take the slot.
    expect((await book(stack, u.chidi, { tutorId: u.tunde, scheduledAt: slotIn(16, 9) })).status).toBe(409);
  });
});
