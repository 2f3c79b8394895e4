/**
 * The tutor's payouts as the table holds them: the payout account on file, withdrawals from the
 * wallet (made, listed, retried by an admin). No Paystack here: changing the account is
 * ./payout-account.ts, the bank list ./banks.ts, and the transfers the table stream asks for
 * and the webhooks settle are ./transfers.ts.
 */
import { withdrawalMinimum } from '../config';
import { systemClock, type Clock } from '../domain/clock';
import { CodedError } from '../domain/errors';
import { newWithdrawalId, withdrawalReference, type PayoutAccount, type Withdrawal, type WithdrawalStatus } from '../domain/withdrawal';
import {
  insertWithdrawal,
  getWalletState,
  getWithdrawal,
  listTutorWithdrawals,
  listWithdrawalsByStatus,
  notRetryableError,
  WalletRefusedError,
  type ListedWithdrawal,
} from '../data/withdrawals';
import type { Caller } from '../domain/caller';
import { logger } from '../observability/logger';

export interface PayoutDeps {
  clock: Clock;
}

export const defaultPayoutDeps: PayoutDeps = { clock: systemClock };

export const presentAccount = (a: PayoutAccount) => ({
  bankCode: a.bankCode,
  bankName: a.bankName,
  accountNumberLast4: a.accountNumberLast4,
  accountName: a.accountName,
  currency: a.currency,
  updatedAt: a.updatedAt,
});

export const getMyPayoutAccount = async (caller: Caller) => {
  const { payoutAccount } = await getWalletState(caller.userId);
  if (!payoutAccount) throw new CodedError(404, 'PAYOUT_ACCOUNT_NOT_FOUND', 'No payout account yet: add one with PUT /me/payout-account');
  return presentAccount(payoutAccount);
};

export const presentWithdrawal = (w: ListedWithdrawal) => ({
  withdrawalId: w.withdrawalId,
  reference: w.reference,
  amount: w.amount,
  status: w.status,
  ...(w.failureReason ? { failureReason: w.failureReason } : {}),
  bankName: w.bankName,
  accountNumberLast4: w.accountNumberLast4,
  ...(w.retryOf ? { retryOf: w.retryOf } : {}),
  ...(w.retriedAs ? { retriedAs: w.retriedAs } : {}),
  createdAt: w.createdAt,
  updatedAt: w.updatedAt,
  ...(w.settledAt ? { settledAt: w.settledAt } : {}),
});

const presentForAdmin = (w: Withdrawal) => ({
  ...presentWithdrawal(w),
  tutorId: w.tutorId,
  ...(w.attempts !== undefined ? { attempts: w.attempts } : {}),
  ...(w.lastError ? { lastError: w.lastError } : {}),
});

const insufficient = () => new CodedError(409, 'INSUFFICIENT_BALANCE', 'The available balance is less than the amount');
const noAccount = () => new CodedError(409, 'NO_PAYOUT_ACCOUNT', 'Add a payout account before withdrawing');

/** The day-old watch's expiry (epoch seconds): DynamoDB's TTL removes it, the stream tells the consumer. */
const watchExpiry = (now: Date) => Math.floor(now.getTime() / 1000) + 24 * 3600;

/**
 * Debits the wallet into a new PENDING withdrawal to the current payout account (one
 * transaction; shared/data/withdrawals.ts). A payout account changed between the read and
 * the write is read again; a balance short of the amount is INSUFFICIENT_BALANCE.
 */
const debit = async (tutorId: string, amount: number, deps: PayoutDeps, original?: Withdrawal): Promise<Withdrawal> => {
  for (let attempt = 1; ; attempt += 1) {
    const state = await getWalletState(tutorId);
    const account = state.payoutAccount;
    if (!account) throw noAccount();
    if (state.balance < amount) throw insufficient();
    const now = deps.clock();
    const withdrawalId = newWithdrawalId(now);
    const at = now.toISOString();
    const w: Withdrawal = {
      withdrawalId,
      tutorId,
      reference: withdrawalReference(withdrawalId),
      amount: { amount, currency: account.currency },
      status: 'PENDING',
      recipientCode: account.recipientCode,
      bankName: account.bankName,
      accountNumberLast4: account.accountNumberLast4,
      ...(original ? { retryOf: original.withdrawalId } : {}),
      createdAt: at,
      updatedAt: at,
    };
    try {
      await insertWithdrawal(w, watchExpiry(now), original);
      logger.info('Withdrawal made', { withdrawalId, tutorId, amount, retryOf: original?.withdrawalId });
      return w;
    } catch (e) {
      if (!(e instanceof WalletRefusedError)) throw e;
      const now2 = await getWalletState(tutorId);
      if (now2.payoutAccount?.recipientCode === account.recipientCode || attempt >= 3) throw now2.payoutAccount ? insufficient() : noAccount();
    }
  }
};

export const createWithdrawal = async (caller: Caller, amount: number, deps: PayoutDeps = defaultPayoutDeps) => {
  const minimum = withdrawalMinimum();
  if (amount < minimum) throw new CodedError(400, 'BELOW_MINIMUM', `The smallest withdrawal is ${minimum} minor units`);
  return presentWithdrawal(await debit(caller.userId, amount, deps));
};

export const listMyWithdrawals = async (caller: Caller, q: { cursor?: string | undefined; limit: number }) => {
  const page = await listTutorWithdrawals(caller.userId, q.cursor, q.limit);
  return { items: page.items.map(presentWithdrawal), nextCursor: page.nextCursor };
};

export const listAdminWithdrawals = async (q: { status: WithdrawalStatus; cursor?: string | undefined; limit: number }) => {
  const page = await listWithdrawalsByStatus(q.status, q.cursor, q.limit);
  return { items: page.items.map(presentForAdmin), nextCursor: page.nextCursor };
};

/**
 * An admin's retry of a FAILED or REVERSED withdrawal (its money went back with its failure):
 * a new PENDING withdrawal of the same amount, with a new reference, to the tutor's payout
 * account as it is now (the tutor may have corrected it), debited like any withdrawal; the
 * original is marked retried in the same transaction, so it is retried at most once.
 */
export const retryWithdrawal = async (withdrawalId: string, deps: PayoutDeps = defaultPayoutDeps) => {
  const original = await getWithdrawal(withdrawalId);
  if (!original) throw new CodedError(404, 'NOT_FOUND', 'No such withdrawal');
  if ((original.status !== 'FAILED' && original.status !== 'REVERSED') || original.retriedAs) throw notRetryableError();
  return presentForAdmin(await debit(original.tutorId, original.amount.amount, deps, original));
};
