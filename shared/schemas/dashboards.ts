/** Responses of the dashboards: the tutor's figures and wallet, the refunds owed (shared/usecases/dashboards.ts). */
import { OWED_REFUND_STATUSES, type OwedRefundReason } from '../domain/refund';
import { allOf, integer, later, moneyResponse, pageOf, timestamp } from './common';
import * as z from './zod';

const count = integer(z.minimum(0));

/** GET /tutor/stats: sessions per dashboard tab, and money. */
export const tutorStatsResponse = z.strictObject({
  pendingApprovals: count,
  pending: count,
  active: count,
  completed: count,
  grossRevenue: moneyResponse,
  tutorEarnings: moneyResponse,
  walletBalance: moneyResponse,
});

/** A movement of the tutor's money: a payment's share credited when paid, reversed (negative) when refunded; a withdrawal paid out. */
export const ledgerEntryResponse = z.strictObject({
  reference: z.string().check(z.describe('The payment’s (or the withdrawal’s) Paystack reference')),
  kind: z
    .enum(['CREDIT', 'REVERSAL', 'PAYOUT', 'PAYOUT_REVERSAL'])
    .check(z.describe('CREDIT and REVERSAL move a payment’s share; PAYOUT is a settled withdrawal (negative), PAYOUT_REVERSAL one Paystack took back')),
  sessionId: z.optional(z.string().check(z.describe('The payment’s session (CREDIT, REVERSAL)'))),
  withdrawalId: z.optional(z.string().check(z.describe('The withdrawal (PAYOUT, PAYOUT_REVERSAL)'))),
  amount: moneyResponse,
  createdAt: timestamp,
});

/** GET /me/wallet: the totals on the first page only, then the ledger, newest first. */
export const walletResponse = z.extend(pageOf(ledgerEntryResponse), {
  balance: z.optional(moneyResponse),
  available: z.optional(moneyResponse.check(z.describe('What can be withdrawn now (the same as `balance`)'))),
  pending: z.optional(moneyResponse.check(z.describe('Debited into withdrawals not yet settled'))),
  grossRevenue: z.optional(moneyResponse),
  tutorEarnings: z.optional(moneyResponse),
});

const REFUND_REASONS = allOf<OwedRefundReason>({ CANCELLED: true, PAID_AFTER_CLOSE: true });

/** A refund owed to a student (shared/domain/refund.ts), with how asking Paystack went. */
export const owedRefundResponse = z.strictObject({
  reference: z.string().check(z.describe('The payment’s Paystack reference')),
  sessionId: z.string(),
  studentId: z.string(),
  tutorId: z.string(),
  amount: moneyResponse,
  reason: z.enum(REFUND_REASONS),
  status: z.enum(OWED_REFUND_STATUSES),
  attempts: integer(z.minimum(0)).check(z.describe('Requests to Paystack that failed so far')),
  lastError: z.nullable(z.string()),
  lastAttemptAt: z.optional(timestamp),
  createdAt: timestamp,
  updatedAt: timestamp,
  requestedAt: later(timestamp),
  paystackRefundId: later(integer()),
  refundedAt: later(timestamp),
});

/** GET /admin/refunds. */
export const adminRefundsResponse = pageOf(owedRefundResponse);
