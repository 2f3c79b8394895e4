/**
 * Payouts: a tutor's bank account (a Paystack transfer recipient) and the withdrawals made to
 * it. Pure: no I/O.
 *
 * A withdrawal's money leaves the wallet's available balance for its `pending` total when it
 * is made (PENDING). Paystack accepting the transfer makes it PROCESSING; Paystack's verified
 * outcome settles it: SUCCEEDED (the pending debit becomes a payout in the ledger), or FAILED /
 * REVERSED (the money goes back to the available balance, once).
 */
import { ulid } from 'ulid';
import type { Currency, Money } from './money';

export const WITHDRAWAL_STATUSES = ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REVERSED'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/** Money still on its way: the wallet's `pending` holds it and the payout account may not change. */
export const IN_FLIGHT: readonly WithdrawalStatus[] = ['PENDING', 'PROCESSING'];

export interface PayoutAccount {
  bankCode: string;
  bankName: string;
  accountNumberLast4: string;
  accountName: string;
  currency: Currency;
  /** Paystack's transfer recipient (RCP_…): what a transfer is sent to. Never shown. */
  recipientCode: string;
  updatedAt: string;
}

export interface Withdrawal {
  withdrawalId: string;
  tutorId: string;
  /** Paystack's idempotency key for the transfer: one reference, at most one transfer. */
  reference: string;
  amount: Money;
  status: WithdrawalStatus;
  recipientCode: string;
  bankName: string;
  accountNumberLast4: string;
  failureReason?: string;
  transferCode?: string;
  /** Failed requests to Paystack so far (the stream retries them), and the last one's error. */
  attempts?: number;
  lastError?: string;
  lastAttemptAt?: string;
  /** An admin's retry of this failed withdrawal: the new withdrawal's id. */
  retriedAs?: string;
  /** The failed withdrawal this one retries. */
  retryOf?: string;
  createdAt: string;
  updatedAt: string;
  settledAt?: string;
}

/**
 * Paystack wants a transfer reference of lowercase letters, digits, '-' and '_', at least 16
 * characters; ours is the withdrawal's ULID, lower-cased, so each names the other.
 */
const REFERENCE = /^wdr-([0-9a-hjkmnp-tv-z]{26})$/;
export const withdrawalReference = (withdrawalId: string): string => `wdr-${withdrawalId.toLowerCase()}`;
export const withdrawalIdOf = (reference: string): string | undefined => REFERENCE.exec(reference)?.[1]?.toUpperCase();

export const newWithdrawalId = (now: Date): string => ulid(now.getTime());

/** What the tutor's bank statement shows. */
export const transferReason = (w: Pick<Withdrawal, 'withdrawalId'>): string => `Mentorship earnings payout ${w.withdrawalId}`;

/** Paystack's transfer statuses (its Verify Transfer) that end a transfer, and how. */
export const settledStatus = (paystackStatus: string): 'SUCCEEDED' | 'FAILED' | 'REVERSED' | undefined => {
  switch (paystackStatus) {
    case 'success':
      return 'SUCCEEDED';
    case 'failed':
    case 'abandoned':
    case 'blocked':
    case 'rejected':
      return 'FAILED';
    case 'reversed':
      return 'REVERSED';
    default:
      return undefined;
  }
};

export const last4 = (accountNumber: string): string => accountNumber.slice(-4);
