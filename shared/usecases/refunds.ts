/**
 * Asking Paystack for a refund owed (./owed-refunds.ts records one with the change that makes it
 * owed): the table stream's requestRefunds consumer asks until Paystack accepts it, never
 * twice; and Paystack's own list of a transaction's refunds, which settling reads too
 * (./refund-settlement.ts). Paystack's word is its state, read through its API, never a
 * webhook's body or the wording of a refusal.
 */
import type { Clock } from '../domain/clock';
import type { Payment } from '../domain/payment';
import { refundNote } from '../domain/refund';
import { getPayment } from '../data/payments';
import { recordAttempt } from '../data/attempts';
import { getRefund, setRefundStatus } from '../data/refunds';
import { isPaystackError, type PaystackClient } from '../integrations/paystack';
import type { PaystackRefund } from '../schemas/paystack';
import { logger } from '../observability/logger';

export interface RefundRequestDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'listRefunds' | 'refund' | 'verify'>;
}

// ---------------------------------------------------------------- Paystack's state

/** Enough for any transaction's refunds; a list longer than this since the payment is for an operator. */
const MAX_REFUND_PAGES = 20;

/** Every refund Paystack holds for the transaction, in any status: its list of refunds since the payment began. */
export const refundsAtPaystack = async (payment: Pick<Payment, 'reference' | 'createdAt'>, paystack: Pick<PaystackClient, 'listRefunds'>): Promise<PaystackRefund[]> => {
  const found: PaystackRefund[] = [];
  for (let page = 1; ; page += 1) {
    const { refunds, pageCount } = await paystack.listRefunds({ from: payment.createdAt, perPage: 100, page });
    found.push(...refunds.filter((r) => r.transaction_reference === payment.reference));
    if (refunds.length === 0 || page >= pageCount) return found;
    if (page >= MAX_REFUND_PAGES) throw new Error(`More than ${MAX_REFUND_PAGES} pages of Paystack refunds since ${payment.createdAt}`);
  }
};

/**
 * Whether nothing is left to refund of the transaction, by Paystack's state: Verify says it
 * is reversed, or its refunds that did not fail cover what was paid.
 */
const refundedAlready = async (payment: Payment, paystack: RefundRequestDeps['paystack']): Promise<boolean> => {
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
export const requestOwedRefund = async (reference: string, deps: RefundRequestDeps): Promise<RequestOutcome> => {
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
