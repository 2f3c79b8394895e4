/**
 * Payouts with Paystack Transfers: the tutor's bank account (resolved and made a transfer
 * recipient), withdrawals from the wallet, the transfer asked for from the table stream, and
 * the outcome settled exactly once.
 *
 * As with charges and refunds, a webhook only says "look": what is settled is what Paystack's
 * Verify Transfer says of the withdrawal's reference. The reference is Paystack's idempotency
 * key for the transfer, so a consumer run again on the same record (a retry, a restart) gets
 * the transfer made the first time, never a second one.
 */
import { withdrawalMinimum } from '../config';
import { HOUR_MS, systemClock, type Clock } from '../domain/clock';
import { CodedError, UpstreamError } from '../domain/errors';
import {
  IN_FLIGHT,
  last4,
  newWithdrawalId,
  settledStatus,
  transferReason,
  withdrawalIdOf,
  withdrawalReference,
  type PayoutAccount,
  type Withdrawal,
  type WithdrawalStatus,
} from '../domain/withdrawal';
import {
  insertWithdrawal,
  getWalletState,
  getWithdrawal,
  listTutorWithdrawals,
  listWithdrawalsByStatus,
  markProcessing,
  notRetryableError,
  putPayoutAccount,
  settleWithdrawal,
  WalletRefusedError,
  withdrawalInFlightError,
  type ListedWithdrawal,
} from '../data/withdrawals';
import { recordAttempt } from '../data/attempts';
import type { Caller } from '../domain/caller';
import { accountInboxWrites } from './notify';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import type { TransferData } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';

export interface PayoutDeps {
  clock: Clock;
  paystack: PaystackClient;
}

export const defaultPayoutDeps: PayoutDeps = { clock: systemClock, paystack: paystackClient };

const providerDown = (e: unknown, what: string) => {
  logger.error(`Paystack ${what} failed`, { error: e as Error });
  return new UpstreamError('PAYMENT_PROVIDER_UNAVAILABLE', 'The payment provider is not answering; please try again shortly');
};

// ---------------------------------------------------------------- banks

/**
 * Paystack's bank list changes a few times a year, and the form asks for it on every visit:
 * kept per container for six hours. A table item would share it between containers, at the
 * cost of a write path and a grant for a list any container fetches in one call.
 */
export const BANKS_TTL_MS = 6 * HOUR_MS;
const bankCache = new Map<string, { fetchedAt: number; items: { code: string; name: string }[] }>();

export const listBanks = async (currency: string, deps: PayoutDeps = defaultPayoutDeps) => {
  const now = deps.clock().getTime();
  const cached = bankCache.get(currency);
  if (cached && now - cached.fetchedAt < BANKS_TTL_MS) return { items: cached.items };
  let banks;
  try {
    banks = await deps.paystack.listBanks(currency);
  } catch (e) {
    if (cached) return { items: cached.items };
    throw providerDown(e, 'bank list');
  }
  const items = banks
    .filter((b) => b.active !== false)
    .map((b) => ({ code: b.code, name: b.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  bankCache.set(currency, { fetchedAt: now, items });
  return { items };
};

/** For tests: forget the cached lists. */
export const clearBankCache = () => bankCache.clear();

// ---------------------------------------------------------------- the payout account

const presentAccount = (a: PayoutAccount) => ({
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

/**
 * Sets where withdrawals go: the account's name resolved with Paystack, a transfer recipient
 * made for it, and the recipient stored on the wallet (with the tutor's notification) only if
 * no withdrawal is in flight. The in-flight check before calling Paystack only saves the
 * calls; the write's own condition is what decides.
 */
export const putMyPayoutAccount = async (caller: Caller, body: { bankCode: string; accountNumber: string }, deps: PayoutDeps = defaultPayoutDeps) => {
  if ((await getWalletState(caller.userId)).inFlight > 0) throw withdrawalInFlightError();
  let accountName: string;
  try {
    ({ accountName } = await deps.paystack.resolveAccount({ account_number: body.accountNumber, bank_code: body.bankCode }));
  } catch (e) {
    if (isPaystackError(e, 'REJECTED') || isPaystackError(e, 'NOT_FOUND')) {
      throw new CodedError(422, 'ACCOUNT_NOT_RESOLVED', 'The bank could not confirm this account number: check the bank and the number');
    }
    throw providerDown(e, 'account resolve');
  }
  let recipient;
  try {
    recipient = await deps.paystack.createRecipient({ type: 'nuban', name: accountName, account_number: body.accountNumber, bank_code: body.bankCode, currency: 'NGN' });
  } catch (e) {
    if (isPaystackError(e, 'REJECTED')) throw new CodedError(422, 'ACCOUNT_NOT_RESOLVED', `Paystack refused this account: ${e.message}`);
    throw providerDown(e, 'transfer recipient');
  }
  const at = deps.clock().toISOString();
  const account: PayoutAccount = {
    bankCode: body.bankCode,
    bankName: recipient.details.bank_name,
    accountNumberLast4: last4(body.accountNumber),
    accountName,
    currency: 'NGN',
    recipientCode: recipient.recipient_code,
    updatedAt: at,
  };
  const notice = accountInboxWrites(
    caller.userId,
    'PAYOUT_ACCOUNT_CHANGED',
    `${at}#${account.recipientCode}`,
    { bankName: account.bankName, accountNumberLast4: account.accountNumberLast4 },
    deps.clock,
  );
  await putPayoutAccount(caller.userId, account, notice);
  logger.info('Payout account changed', { tutorId: caller.userId, bankCode: account.bankCode });
  return presentAccount(account);
};

// ---------------------------------------------------------------- withdrawals

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

// ---------------------------------------------------------------- Paystack's outcome

export type TransferOutcome = 'withdrawal-succeeded' | 'withdrawal-failed' | 'withdrawal-reversed' | 'duplicate' | 'unconfirmed' | 'unknown-reference' | 'rejected';

const FAILURE_REASONS: Record<'FAILED' | 'REVERSED', string> = {
  FAILED: 'The bank did not accept the transfer',
  REVERSED: 'The bank sent the transfer back',
};

/** Paystack's transfer as it says, settled once: status, money, ledger and the tutor told, in one transaction. */
const settleWith = async (
  w: Withdrawal,
  to: 'SUCCEEDED' | 'FAILED' | 'REVERSED',
  transfer: Pick<TransferData, 'transfer_code'> | undefined,
  reason: string | undefined,
  deps: PayoutDeps,
) => {
  const at = deps.clock().toISOString();
  const failureReason = to === 'SUCCEEDED' ? undefined : (reason ?? FAILURE_REASONS[to]);
  const fields: Partial<Withdrawal> = {
    updatedAt: at,
    settledAt: at,
    ...(transfer?.transfer_code ? { transferCode: transfer.transfer_code } : {}),
    ...(failureReason ? { failureReason } : {}),
  };
  const notice = accountInboxWrites(
    w.tutorId,
    to === 'SUCCEEDED' ? 'WITHDRAWAL_SUCCEEDED' : 'WITHDRAWAL_FAILED',
    `${w.withdrawalId}#${to}`,
    { amount: w.amount, bankName: w.bankName, accountNumberLast4: w.accountNumberLast4, ...(failureReason ? { reason: failureReason } : {}) },
    deps.clock,
  );
  if (!(await settleWithdrawal(w, to, fields, at, notice))) return 'duplicate' as const;
  if (to === 'SUCCEEDED') count('WithdrawalsPaid');
  else {
    logger.warn('Withdrawal failed; the money went back to the wallet', { withdrawalId: w.withdrawalId, to, failureReason });
    count('WithdrawalFailures');
  }
  return to === 'SUCCEEDED' ? ('withdrawal-succeeded' as const) : to === 'FAILED' ? ('withdrawal-failed' as const) : ('withdrawal-reversed' as const);
};

/** Whether Paystack's transfer is the withdrawal's (its Verify answer for our reference). */
const matches = (w: Withdrawal, t: TransferData) => t.reference === w.reference && t.amount === w.amount.amount && t.currency === w.amount.currency;

/**
 * A transfer.* webhook for `reference`: Verify Transfer decides. A withdrawal settled
 * already, a reference that is not ours, or a transfer Paystack does not confirm changes
 * nothing.
 */
export const settleTransfer = async (reference: string, deps: PayoutDeps = defaultPayoutDeps): Promise<TransferOutcome> => {
  const id = withdrawalIdOf(reference);
  const w = id ? await getWithdrawal(id) : undefined;
  if (!w) {
    logger.warn('A transfer webhook for a reference we did not issue', { reference });
    return 'unknown-reference';
  }
  if (w.status === 'FAILED' || w.status === 'REVERSED') return 'duplicate';
  let t: TransferData;
  try {
    t = await deps.paystack.verifyTransfer(w.reference);
  } catch (e) {
    if (isPaystackError(e, 'NOT_FOUND')) {
      logger.warn('A transfer webhook Paystack does not confirm', { reference });
      return 'unconfirmed';
    }
    throw e;
  }
  if (!matches(w, t)) {
    logger.error('Paystack’s transfer does not match the withdrawal', { reference, amount: t.amount, currency: t.currency });
    return 'rejected';
  }
  const to = settledStatus(t.status);
  if (!to) return 'unconfirmed';
  if (w.status === 'SUCCEEDED' && to !== 'REVERSED') return 'duplicate';
  return settleWith(w, to, t, undefined, deps);
};

export type InitiateOutcome = 'requested' | 'found' | 'settled' | 'failed' | 'nothing-to-do';

/**
 * The stream consumer's work for a new PENDING withdrawal: ask Paystack for the transfer, with
 * the withdrawal's reference as the idempotency key, then PENDING → PROCESSING. A refusal
 * (a 4xx) is judged by Paystack's state: a transfer Verify finds under the reference was made
 * (an earlier attempt's answer was lost); none means it never will be: FAILED, money back.
 * Anything else (timeouts, 5xx, after the client's retries) is recorded on the withdrawal and
 * thrown: the stream retries the record, then dead-letters it (its alarm); the withdrawal stays
 * PENDING, its money held, for an operator.
 */
export const initiateTransfer = async (withdrawalId: string, deps: PayoutDeps = defaultPayoutDeps): Promise<InitiateOutcome> => {
  const w = await getWithdrawal(withdrawalId);
  if (w?.status !== 'PENDING') return 'nothing-to-do';
  const accepted = async (t: TransferData, outcome: 'requested' | 'found'): Promise<InitiateOutcome> => {
    if (!matches(w, t)) throw new Error(`Paystack's transfer ${t.reference} does not match withdrawal ${w.withdrawalId}`);
    const to = settledStatus(t.status);
    if (to) return (await settleWith(w, to, t, undefined, deps)) === 'duplicate' ? 'nothing-to-do' : 'settled';
    await markProcessing(w, { transferCode: t.transfer_code, updatedAt: deps.clock().toISOString() });
    logger.info('Transfer accepted by Paystack', { withdrawalId, reference: w.reference, status: t.status, outcome });
    return outcome;
  };
  try {
    try {
      const t = await deps.paystack.transfer({
        source: 'balance',
        amount: w.amount.amount,
        recipient: w.recipientCode,
        reference: w.reference,
        reason: transferReason(w),
        currency: w.amount.currency,
      });
      return await accepted(t, 'requested');
    } catch (e) {
      if (!isPaystackError(e, 'REJECTED') && !isPaystackError(e, 'NOT_FOUND')) throw e;
      let found: TransferData | undefined;
      try {
        found = await deps.paystack.verifyTransfer(w.reference);
      } catch (v) {
        if (!isPaystackError(v, 'NOT_FOUND')) throw v;
      }
      if (found) return await accepted(found, 'found');
      const outcome = await settleWith(w, 'FAILED', undefined, `Paystack refused the transfer: ${e.message.replace(/^Paystack transfer: /, '')}`, deps);
      return outcome === 'duplicate' ? 'nothing-to-do' : 'failed';
    }
  } catch (e) {
    const error = isPaystackError(e) ? `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.message}` : String(e);
    await recordAttempt('withdrawal', withdrawalId, error, deps.clock().toISOString());
    throw e;
  }
};

/**
 * A withdrawal's day-old watch expired: if the withdrawal is still unsettled, an operator must
 * look (WithdrawalsStuck, its alarm). The money stays held: only Paystack's word moves it.
 */
export const checkWithdrawalAge = async (withdrawalId: string): Promise<'stuck' | 'settled' | 'unknown'> => {
  const w = await getWithdrawal(withdrawalId);
  if (!w) return 'unknown';
  if (!IN_FLIGHT.includes(w.status)) return 'settled';
  logger.error('Withdrawal unsettled a day after it was made', { withdrawalId, status: w.status, reference: w.reference, createdAt: w.createdAt });
  count('WithdrawalsStuck');
  return 'stuck';
};
