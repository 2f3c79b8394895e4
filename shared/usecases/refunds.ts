/**
 * Refunds: one owed is recorded with the change that makes it owed; the table stream's
 * requestRefunds consumer asks Paystack for it until Paystack accepts it; what Paystack
 * refunded (for us, or from its dashboard) is settled here exactly once. Paystack's word is its
 * state, read through its API, never a webhook's body or the wording of a refusal.
 */
import type { Money } from '../domain/money';
import type { Payment } from '../domain/payment';
import { refundNote, type OwedRefund, type OwedRefundReason } from '../domain/refund';
import type { Session } from '../domain/session';
import { getPayment, PaymentAlreadySettledError, refundOwedUpdate, settleRefundedPart } from '../data/payments';
import { recordAttempt } from '../data/attempts';
import { getRefund, owedRefundPut, refundStatusUpdate, setRefundStatus } from '../data/refunds';
import { getSession, StaleSessionError, transitionItems } from '../data/sessions';
import type { TransactItem } from '../data/transact';
import { isPaystackError, type PaystackClient } from '../integrations/paystack';
import type { PaystackRefund } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { afterClosing, closing, type CloseDeps } from './close';

export interface RefundDeps extends CloseDeps {
  paystack: PaystackClient;
}

/** Why a session Paystack refunded in full was closed (also how a redelivery recognizes it). */
export const REFUNDED_CLOSE_REASON = 'The payment was refunded';

// ---------------------------------------------------------------- owing one

/** What owing a refund needs of a payment. */
export type PaidPart = Pick<Payment, 'reference' | 'sessionId' | 'studentId' | 'tutorId' | 'amount' | 'refundedAmount'>;

const owedRefund = (payment: PaidPart, amount: number, reason: OwedRefundReason, at: string): OwedRefund => ({
  reference: payment.reference,
  sessionId: payment.sessionId,
  studentId: payment.studentId,
  tutorId: payment.tutorId,
  amount: { amount, currency: payment.amount.currency },
  reason,
  status: 'OWED',
  attempts: 0,
  lastError: null,
  createdAt: at,
  updatedAt: at,
});

/**
 * What records a refund of whatever is left of a PAID payment, for the cancel's transaction:
 * the refund owed and the payment REFUND_PENDING. Nothing when nothing is left to refund.
 */
export const owedRefundWrites = (payment: PaidPart, reason: OwedRefundReason, at: string): { items: TransactItem[]; amount: Money } | undefined => {
  const left = payment.amount.amount - (payment.refundedAmount ?? 0);
  if (left <= 0) return undefined;
  const refund = owedRefund(payment, left, reason, at);
  return { items: [owedRefundPut(refund), refundOwedUpdate(payment, at)], amount: refund.amount };
};

/**
 * A paid session's payment as its booking made it (the session's price, nothing refunded), so
 * a cancel can owe its refund without reading it: owedRefundWrites' condition on the payment
 * (PAID, nothing refunded) checks the guess in the same transaction, and a cancel whose guess
 * was wrong (a refund made from Paystack's dashboard meanwhile) reads the payment instead.
 */
export const paidAsBooked = (s: Pick<Session, 'id' | 'studentId' | 'tutorId' | 'price' | 'paymentStatus' | 'paymentReference'>): PaidPart | undefined =>
  s.paymentStatus === 'PAID' && s.paymentReference
    ? { reference: s.paymentReference, sessionId: s.id, studentId: s.studentId, tutorId: s.tutorId, amount: s.price, refundedAmount: 0 }
    : undefined;

/** The refund owed for money that arrived for a closed session (the payment never credited). */
export const orphanRefundPut = (payment: Payment, at: string): TransactItem => owedRefundPut(owedRefund(payment, payment.amount.amount, 'PAID_AFTER_CLOSE', at));

// ---------------------------------------------------------------- Paystack's state

/** Enough for any transaction's refunds; a list longer than this since the payment is for an operator. */
const MAX_REFUND_PAGES = 20;

/** Every refund Paystack holds for the transaction, in any status: its list of refunds since the payment began. */
export const refundsAtPaystack = async (payment: Pick<Payment, 'reference' | 'createdAt'>, paystack: PaystackClient): Promise<PaystackRefund[]> => {
  const found: PaystackRefund[] = [];
  for (let page = 1; ; page += 1) {
    const { refunds, pageCount } = await paystack.listRefunds({ from: payment.createdAt, perPage: 100, page });
    found.push(...refunds.filter((r) => r.transaction_reference === payment.reference));
    if (refunds.length === 0 || page >= pageCount) return found;
    if (page >= MAX_REFUND_PAGES) throw new Error(`More than ${MAX_REFUND_PAGES} pages of Paystack refunds since ${payment.createdAt}`);
  }
};

/** What Paystack says it refunded of the payment: its processed refunds, in the payment's currency, at most what was paid. */
const processedTotal = (payment: Payment, refunds: PaystackRefund[]): number => {
  const sum = refunds.filter((r) => r.status === 'processed' && r.currency === payment.amount.currency).reduce((total, r) => total + r.amount, 0);
  if (sum > payment.amount.amount) logger.error('Paystack lists more refunded than was paid', { reference: payment.reference, refunded: sum, paid: payment.amount.amount });
  return Math.min(sum, payment.amount.amount);
};

/**
 * Whether nothing is left to refund of the transaction, by Paystack's state: Verify says it
 * is reversed, or its refunds that did not fail cover what was paid.
 */
const refundedAlready = async (payment: Payment, paystack: PaystackClient): Promise<boolean> => {
  const verified = await paystack.verify(payment.reference);
  if (verified.status === 'reversed') return true;
  const pending = (await refundsAtPaystack(payment, paystack)).filter((r) => r.status !== 'failed' && r.currency === payment.amount.currency);
  return pending.reduce((total, r) => total + r.amount, 0) >= payment.amount.amount;
};

// ---------------------------------------------------------------- asking for one

export type RequestOutcome = 'requested' | 'found' | 'refunded-already' | 'nothing-owed';

/**
 * The requestRefunds consumer's work for one refund owed: ask Paystack for it, once. Paystack
 * has no idempotency key for refunds; the payment reference is ours: every refund we ask for
 * carries it in its merchant note, and before asking we look for one in Paystack's list (an
 * earlier attempt may have been accepted with its answer lost). A refusal is judged by
 * Paystack's state. Any other failure is recorded on the refund (for operators) and thrown:
 * the stream retries the record, then hands it to its dead-letter queue.
 */
export const requestOwedRefund = async (reference: string, deps: Pick<RefundDeps, 'paystack' | 'clock'>): Promise<RequestOutcome> => {
  const owed = await getRefund(reference);
  const payment = await getPayment(reference);
  if (owed?.status !== 'OWED' || !payment) return 'nothing-owed';
  const requested = async (paystackRefundId: number | null, outcome: RequestOutcome) => {
    const at = deps.clock().toISOString();
    await setRefundStatus(owed, ['OWED'], 'REQUESTED', { requestedAt: at, paystackRefundId, updatedAt: at });
    logger.info('Refund accepted by Paystack', { reference, paystackRefundId, outcome });
    return outcome;
  };
  try {
    const ours = (await refundsAtPaystack(payment, deps.paystack)).find((r) => r.merchant_note === refundNote(reference) && r.status !== 'failed');
    if (ours) return await requested(ours.id, 'found');
    try {
      // No amount: what is left of the transaction, which is what we owe (a cancel refunds the rest).
      const made = await deps.paystack.refund({ transaction: reference, currency: payment.amount.currency, merchant_note: refundNote(reference) });
      return await requested(made.id ?? null, 'requested');
    } catch (e) {
      if (!isPaystackError(e, 'REJECTED')) throw e;
      // Refused, in whatever words: Paystack's state says whether anything is left to refund.
      if (await refundedAlready(payment, deps.paystack)) return await requested(null, 'refunded-already');
      throw e;
    }
  } catch (e) {
    const error = isPaystackError(e) ? `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.message}` : String(e);
    await recordAttempt('refund', reference, error, deps.clock().toISOString());
    throw e;
  }
};

// ---------------------------------------------------------------- settling what Paystack refunded

export type RefundOutcome = 'refunded' | 'duplicate' | 'unconfirmed' | 'unknown-reference' | 'ignored' | 'refund-failed';

interface Settled {
  session: Session | undefined;
  /** Closed by this refund: the workflow tokens to end. */
  closed?: { tokens: string[] };
}

/**
 * One settling attempt: the payment's refunded total to `refunded`, and with it, once all of
 * it is refunded, the session (PAID → REFUNDED; a booked one closed) and the refund owed.
 */
const settleOnce = async (payment: Payment, refunded: number, at: string): Promise<Settled> => {
  const full = refunded === payment.amount.amount;
  const extra: TransactItem[] = [];
  let settled: Settled = { session: undefined };
  if (full) {
    const owed = await getRefund(payment.reference);
    if (owed && owed.status !== 'REFUNDED') extra.push(refundStatusUpdate(owed, [owed.status], 'REFUNDED', { refundedAt: at, updatedAt: at }));
    const s = await getSession(payment.sessionId);
    if (s && payment.orphaned && s.paymentStatus === 'PENDING') {
      // The session a late payment was for shows REFUNDED rather than a payment that will never come.
      const { items, stored } = transitionItems(s, { ...s, paymentStatus: 'REFUNDED', updatedAt: at });
      extra.push(...items);
      settled = { session: stored };
    } else if (s && !payment.orphaned && s.paymentReference === payment.reference) {
      // Nobody paid for it any more: a booked session does not keep its slot.
      const close = s.status === 'SCHEDULED' ? closing(s, 'SYSTEM', REFUNDED_CLOSE_REASON, at) : undefined;
      const { items, stored } = transitionItems(s, { ...(close?.next ?? s), paymentStatus: 'REFUNDED', updatedAt: at }, { releaseBlocks: close?.releaseBlocks ?? [] });
      extra.push(...items);
      settled = { session: stored, ...(close ? { closed: { tokens: close.tokens } } : {}) };
    } else settled = { session: s };
  }
  await settleRefundedPart(payment, refunded, at, extra);
  return settled;
};

/** REFUND_ISSUED, once per refunded part (the notifier's dedupe): on the settling delivery and on any redelivery. */
const tellRefunded = async (payment: Payment, refunded: number, part: number, session: Session | undefined, deps: Pick<RefundDeps, 'notify'>) => {
  const s = session ?? (await getSession(payment.sessionId));
  if (!s) return;
  const full = refunded === payment.amount.amount;
  await deps.notify({
    event: 'REFUND_ISSUED',
    session: s,
    to: ['student'],
    extra: { refund: full ? payment.amount : { amount: part, currency: payment.amount.currency } },
    occurrence: full ? payment.reference : `${payment.reference}#${refunded}`,
  });
};

/**
 * A refund.* webhook for `reference`: settles what Paystack has refunded of it and not yet
 * been settled here; a session it leaves with nothing paid is closed like a cancel. The webhook
 * only says "look": what is settled is what Paystack lists as processed refunds of the
 * transaction. That total only ever grows, so each delivery settles the difference from what
 * was settled before, with a conditional write on that earlier total: a redelivered or
 * concurrent webhook finds nothing left to do, but finishes what a delivery that stopped
 * midway left (telling the student, the close's follow-ups).
 */
export const settleRefund = async (reference: string, deps: RefundDeps, event = 'refund.processed'): Promise<RefundOutcome> => {
  const first = await getPayment(reference);
  if (!first) return 'unknown-reference';
  if (first.status !== 'PAID' && first.status !== 'REFUND_PENDING' && first.status !== 'REFUNDED') return 'ignored';
  const atPaystack = await refundsAtPaystack(first, deps.paystack);
  // Money still owed: an operator refunds it by hand (RefundFailedAlarm). Only when Paystack lists the failure.
  const failed = event === 'refund.failed' && atPaystack.some((r) => r.status === 'failed');
  if (failed) {
    logger.error('Refund failed at Paystack', { reference });
    count('RefundFailures');
  }
  const refunded = processedTotal(first, atPaystack);
  for (let attempt = 1; ; attempt += 1) {
    const payment = attempt === 1 ? first : (await getPayment(reference))!;
    // A payment refunded before refunded totals were kept has none: it was all of it.
    const before = payment.refundedAmount ?? (payment.status === 'REFUNDED' ? payment.amount.amount : 0);
    if (refunded <= before) {
      if (failed) return 'refund-failed';
      if (refunded === 0) {
        logger.warn('A refund webhook Paystack does not confirm', { reference, event });
        return 'unconfirmed';
      }
      await finishRedelivered(payment, before, deps);
      return 'duplicate';
    }
    const at = deps.clock().toISOString();
    try {
      const settled = await settleOnce(payment, refunded, at);
      if (settled.closed && settled.session) await afterClosing(settled.session, settled.closed.tokens, 'SYSTEM', REFUNDED_CLOSE_REASON, deps);
      await tellRefunded(payment, refunded, refunded - before, settled.session, deps);
      return 'refunded';
    } catch (e) {
      // Another delivery settled it, or the session moved meanwhile: read again and see what is left.
      if (!(e instanceof PaymentAlreadySettledError || e instanceof StaleSessionError) || attempt >= 5) throw e;
    }
  }
};

/** A redelivery of a refund settled already: what the settling delivery may not have got to. */
const finishRedelivered = async (payment: Payment, refunded: number, deps: RefundDeps) => {
  const s = await getSession(payment.sessionId);
  if (refunded === payment.amount.amount && s?.status === 'CANCELLED' && s.cancelledBy === 'SYSTEM' && s.cancellationReason === REFUNDED_CLOSE_REASON) {
    await afterClosing(s, [], 'SYSTEM', REFUNDED_CLOSE_REASON, deps);
  }
  if (refunded === payment.amount.amount) await tellRefunded(payment, refunded, refunded, s, deps);
};
