/**
 * Owing a refund: what records one, written with the change that makes it owed (a cancel, money
 * that came for a closed session). Apart from asking Paystack (./refunds.ts) and
 * settling what it refunded (./refund-settlement.ts), so that a cancel bundles no Paystack client.
 */
import type { Money } from '../domain/money';
import type { Payment } from '../domain/payment';
import type { OwedRefund, OwedRefundReason } from '../domain/refund';
import type { Session } from '../domain/session';
import { refundOwedUpdate } from '../data/payments';
import { owedRefundPut } from '../data/refunds';
import type { TransactItem } from '../data/transact';

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
