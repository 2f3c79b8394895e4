/**
 * Settling what Paystack refunded of a payment (for us, or from its dashboard), exactly once,
 * on its refund.* webhooks: the tutor's share of the refunded part reversed, the student told,
 * and a booked session left with nothing paid closed like a cancel. The webhook only says
 * "look": what is settled is what Paystack lists as processed refunds of the transaction.
 */
import type { Payment } from '../domain/payment';
import type { Session } from '../domain/session';
import { getPayment, PaymentAlreadySettledError } from '../data/payments';
import { settleRefundedPart } from '../data/wallet';
import { getRefund, refundStatusUpdate } from '../data/refunds';
import { getSession, StaleSessionError, transitionItems } from '../data/sessions';
import type { TransactItem } from '../data/transact';
import { meetingSyncPuts } from '../data/meeting-sync';
import type { PaystackClient } from '../integrations/paystack';
import type { PaystackRefund } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { afterClosing, closing, type CloseDeps } from './close';
import { refundsAtPaystack } from './refunds';

export interface RefundDeps extends CloseDeps {
  paystack: Pick<PaystackClient, 'listRefunds'>;
}

/** Why a session Paystack refunded in full was closed (also how a redelivery recognizes it). */
export const REFUNDED_CLOSE_REASON = 'The payment was refunded';

/** What Paystack says it refunded of the payment: its processed refunds, in the payment's currency, at most what was paid. */
const processedTotal = (payment: Payment, refunds: PaystackRefund[]): number => {
  const sum = refunds.filter((r) => r.status === 'processed' && r.currency === payment.amount.currency).reduce((total, r) => total + r.amount, 0);
  if (sum > payment.amount.amount) logger.error('Paystack lists more refunded than was paid', { reference: payment.reference, refunded: sum, paid: payment.amount.amount });
  return Math.min(sum, payment.amount.amount);
};

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
      // Nobody paid for it any more: a booked session does not keep its slot, nor its meeting (the stream deletes it).
      const close = s.status === 'SCHEDULED' ? closing(s, 'SYSTEM', REFUNDED_CLOSE_REASON, at) : undefined;
      const { items, stored } = transitionItems(
        s,
        { ...(close?.next ?? s), paymentStatus: 'REFUNDED', updatedAt: at },
        { releaseBlocks: close?.releaseBlocks ?? [], extra: close ? meetingSyncPuts(s, s.version + 1, at) : [] },
      );
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
