/**
 * Payments: one record per Paystack transaction, what a verified charge must match before
 * any money is credited, and the refund policy's arithmetic.
 */
import type { Money } from './money';

export const PAYMENT_RECORD_STATUSES = ['PENDING', 'PAID', 'FAILED', 'MISMATCH', 'REFUND_PENDING', 'REFUNDED'] as const;
export type PaymentRecordStatus = (typeof PAYMENT_RECORD_STATUSES)[number];

export interface Payment {
  reference: string;
  sessionId: string;
  studentId: string;
  tutorId: string;
  amount: Money;
  status: PaymentRecordStatus;
  authorizationUrl: string;
  accessCode: string;
  createdAt: string;
  updatedAt: string;
  paidAt?: string | null;
  /** Why a verified charge was not accepted (MISMATCH) or failed. */
  problem?: string | null;
  /** Set once a refund was owed (recorded to be asked of Paystack). */
  refundRequestedAt?: string | null;
  /** How much Paystack has refunded of it so far, as settled here (minor units; absent: 0). */
  refundedAmount?: number;
  /** When it was refunded in full. */
  refundedAt?: string | null;
  /** The session was closed before this payment arrived: the money goes back. */
  orphaned?: boolean;
}

/** What Paystack's verify says of a transaction, in the fields we rely on. */
export interface VerifiedCharge {
  status: string;
  amount: number;
  currency: string;
  reference: string;
}

export type ChargeCheck = { ok: true } | { ok: false; settled: boolean; problem: string };

/**
 * A charge is credited only if Paystack itself says it succeeded, for exactly our amount and
 * currency. `settled: false` means not paid (yet): nothing to record.
 */
export const checkCharge = (payment: Pick<Payment, 'amount' | 'reference'>, charge: VerifiedCharge): ChargeCheck => {
  if (charge.reference !== payment.reference) return { ok: false, settled: true, problem: `Verified reference ${charge.reference} is not ${payment.reference}` };
  if (charge.status !== 'success')
    return { ok: false, settled: charge.status === 'failed' || charge.status === 'reversed', problem: `Paystack says the transaction is ${charge.status}` };
  if (charge.currency !== payment.amount.currency) return { ok: false, settled: true, problem: `Paid in ${charge.currency}, expected ${payment.amount.currency}` };
  if (charge.amount !== payment.amount.amount) return { ok: false, settled: true, problem: `Paid ${charge.amount}, expected ${payment.amount.amount}` };
  return { ok: true };
};
