/**
 * A refund we owe a student: recorded with the change that makes it owed (a cancel, money
 * that came for a closed session), asked of Paystack by the table stream's requestRefunds
 * consumer until Paystack accepts it, settled when Paystack says the money went back.
 * One per payment: it is keyed by the payment's reference.
 */
import type { Money } from './money';

/**
 * OWED: recorded, not yet accepted by Paystack (`attempts` and `lastError` say how asking
 * went); REQUESTED: Paystack holds a refund for it (or had refunded the transaction already);
 * REFUNDED: Paystack processed it and the money was settled here.
 */
export const OWED_REFUND_STATUSES = ['OWED', 'REQUESTED', 'REFUNDED'] as const;
export type OwedRefundStatus = (typeof OWED_REFUND_STATUSES)[number];

export type OwedRefundReason = 'CANCELLED' | 'PAID_AFTER_CLOSE';

export interface OwedRefund {
  /** The payment's reference. */
  reference: string;
  sessionId: string;
  studentId: string;
  tutorId: string;
  amount: Money;
  reason: OwedRefundReason;
  status: OwedRefundStatus;
  /** Requests that failed so far. */
  attempts: number;
  lastError: string | null;
  /** When the last failed request was made; absent until one failed. */
  lastAttemptAt?: string;
  createdAt: string;
  updatedAt: string;
  requestedAt?: string | null;
  /** Paystack's id of the refund that pays it. */
  paystackRefundId?: number | null;
  refundedAt?: string | null;
}

/**
 * The merchant note every refund we ask for carries: Paystack has no idempotency key for
 * refunds, so this is how a later attempt recognizes, in Paystack's list of refunds, the one
 * an earlier attempt made (whose answer was lost) instead of asking a second time.
 */
export const refundNote = (reference: string): string => `Owed refund ${reference}`;
