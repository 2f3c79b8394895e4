/**
 * The race of a cancel against the payment confirmation of the same session, on the local
 * stack: each round books an INSTANT session, then pays it through the Paystack emulator's
 * checkout and cancels it at once. Whatever the interleaving, money moves once and comes back
 * once (the invariants are `round`'s checks). Two rounds fix the order (cancel strictly first,
 * payment strictly first), so both branches are checked whichever the concurrent rounds take.
 */
import { slotIn, until, useLocalStack } from '../support/local-stack';
import { book, checkout, inboxOf, ledgerOf, paystackLog, paystackTransaction, sessionOf, sessionWhen, walletOf, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'cancel-vs-payment');

const TUTOR = u.ada;
const STUDENT = u.bola;
const ROUNDS = 10;

type Order = 'together' | 'cancel-first' | 'payment-first';

/** One round; resolves once the refund has been settled everywhere, with what happened. */
const round = async (n: number, order: Order) => {
  const log = paystackLog(stack);
  const walletBefore = (await walletOf(stack, TUTOR)).balance.amount;
  const canceller = n % 2 === 0 ? STUDENT : TUTOR;

  const created = await book(stack, STUDENT, { tutorId: TUTOR, scheduledAt: slotIn(20 + n, 8 + (n % 10)) });
  expect(created.status).toBe(201);
  const { session, payment } = created.body;
  const cancel = () => stack.api('POST', `/sessions/${session.id}/cancel`, { as: canceller, body: { reason: `Race round ${n}` } });
  const pay = async () => {
    const res = await checkout(payment.authorizationUrl);
    expect(res.status).toBe(302);
  };

  let cancelled: Awaited<ReturnType<typeof cancel>>;
  if (order === 'together') {
    [cancelled] = await Promise.all([cancel(), pay()]);
  } else if (order === 'cancel-first') {
    cancelled = await cancel();
    await pay();
  } else {
    await pay();
    await sessionWhen(stack, session.id, STUDENT, (s) => s.paymentStatus === 'PAID');
    cancelled = await cancel();
  }
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.session.status).toBe('CANCELLED');

  // Settled: Paystack has refunded the charge and our webhook endpoint took the news.
  await until(async () => ((await paystackTransaction(stack, payment.reference)).status === 'reversed' && (await log.refundDelivered(payment.reference)) ? true : undefined));
  const final = await sessionWhen(stack, session.id, STUDENT, (s) => s.paymentStatus !== 'PAID');
  expect(final.status).toBe('CANCELLED');

  expect(await log.refundsOf(payment.reference)).toBe(1);
  expect(await log.refundCalls(payment.reference)).toBe(1);

  const wallet = await walletOf(stack, TUTOR);
  expect(wallet.balance.amount).toBe(walletBefore);
  const entries = ledgerOf(wallet, session.id);
  const share = Math.floor((session.price.amount * 70) / 100);
  const credited = entries.some((e) => e.kind === 'CREDIT');
  if (credited) {
    // The cancel saw the payment: it asked for the refund, and the refund reversed the credit.
    expect(cancelled.body.refund).toEqual({ amount: session.price, status: 'PENDING' });
    expect(entries.map((e) => [e.kind, e.amount.amount]).sort()).toEqual([
      ['CREDIT', share],
      ['REVERSAL', -share],
    ]);
  } else {
    // The cancel came first: the late payment went back without touching the wallet.
    expect(cancelled.body.refund).toBeNull();
    expect(entries).toEqual([]);
  }
  // Either way the money went back, and the session says so.
  expect(final.paymentStatus).toBe('REFUNDED');
  expect(entries.reduce((sum, e) => sum + e.amount.amount, 0)).toBe(0);
  await until(async () => ((await inboxOf(stack, STUDENT, 'REFUND_ISSUED', session.id)).length > 0 ? true : undefined));
  expect(await inboxOf(stack, STUDENT, 'REFUND_ISSUED', session.id)).toHaveLength(1);
  expect((await sessionOf(stack, session.id, TUTOR)).status).toBe('CANCELLED');
  return credited ? 'credited-then-refunded' : 'refunded-uncredited';
};

describe('A cancel racing the payment confirmation of the same session', () => {
  it('refunds a payment that arrives after the cancel, and never credits it', async () => {
    expect(await round(100, 'cancel-first')).toBe('refunded-uncredited');
  });

  it('refunds and reverses a payment credited before the cancel, once', async () => {
    expect(await round(101, 'payment-first')).toBe('credited-then-refunded');
  });

  it(`keeps the money invariants in ${ROUNDS} rounds of both fired at once`, async () => {
    const start = (await walletOf(stack, TUTOR)).balance.amount;
    for (let n = 0; n < ROUNDS; n += 1) await round(n, 'together');
    expect((await walletOf(stack, TUTOR)).balance.amount).toBe(start);
  }, 90_000);
});
