/**
 * The payout account and the withdrawals (shared/domain/withdrawal.ts). Money moves only in
 * transactions that also move the withdrawal's status, conditionally on the status it was
 * read in: a duplicate or concurrent settlement finds the condition failed and moves nothing.
 *
 * The wallet item carries `balance` (available), `pending` (debited into withdrawals not yet
 * settled), `inFlight` (how many) and `payoutAccount`. A withdrawal is one transaction: the
 * wallet's balance decremented on `balance >= :amount`, the withdrawal put once.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { config } from '../config';
import { CodedError } from '../domain/errors';
import type { Currency } from '../domain/money';
import type { PayoutAccount, Withdrawal, WithdrawalStatus } from '../domain/withdrawal';
import { ddb } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { ledgerEntryKey, tutorWithdrawalsPartition, walletKey, withdrawalIndexes, withdrawalKey, withdrawalStatusPartition, withdrawalWatchKey } from './keys';
import { indexOf } from './table';
import { transactWrite, type TransactItem } from './transact';

const ITEM_KEYS = ['pk', 'sk', 'type', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const;

const fromItem = (item: Record<string, unknown>): Withdrawal => {
  const copy = { ...item };
  for (const k of ITEM_KEYS) delete copy[k];
  return copy as unknown as Withdrawal;
};

export const withdrawalInFlightError = () => new CodedError(409, 'WITHDRAWAL_IN_FLIGHT', 'A withdrawal is on its way: the payout account can change once it is settled');

export interface WalletState {
  balance: number;
  pending: number;
  inFlight: number;
  currency: Currency | undefined;
  payoutAccount: PayoutAccount | undefined;
}

export const getWalletState = async (tutorId: string): Promise<WalletState> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: walletKey(tutorId), ConsistentRead: true }));
  const n = (k: string) => (typeof Item?.[k] === 'number' ? Item[k] : 0);
  return {
    balance: n('balance'),
    pending: n('pending'),
    inFlight: n('inFlight'),
    currency: Item?.currency as Currency | undefined,
    payoutAccount: Item?.payoutAccount as PayoutAccount | undefined,
  };
};

/**
 * Stores the payout account on the wallet, with `extra` (the tutor's notification), unless a
 * withdrawal is in flight: one condition on the one item a withdrawal also changes.
 */
export const putPayoutAccount = async (tutorId: string, account: PayoutAccount, extra: TransactItem[]): Promise<void> =>
  transactWrite(
    [
      {
        Update: {
          TableName: config().tableName,
          Key: walletKey(tutorId),
          UpdateExpression: 'SET payoutAccount = :account, #type = :type, currency = if_not_exists(currency, :c)',
          ConditionExpression: 'attribute_not_exists(inFlight) OR inFlight <= :zero',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':account': account, ':type': 'Wallet', ':c': account.currency, ':zero': 0 },
        },
      },
      ...extra,
    ],
    (failed) => (failed.includes(0) ? withdrawalInFlightError() : new Error('The payout account change’s notification was stored already')),
  );

/** The wallet could not give the money (balance short), or the payout account changed since it was read. */
export class WalletRefusedError extends Error {
  constructor() {
    super('The wallet refused the debit');
  }
}

/** An admin retry's original was not (or no longer) a failed withdrawal without a retry. */
export const notRetryableError = () => new CodedError(409, 'NOT_RETRYABLE', 'Only a FAILED or REVERSED withdrawal whose money went back, and not retried before, can be retried');

const withdrawalPut = (w: Withdrawal): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: { ...withdrawalKey(w.withdrawalId), type: 'Withdrawal', ...withdrawalIndexes(w.tutorId, w.status, w.withdrawalId), ...w },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * A withdrawal, all or nothing: the wallet's available balance down by the amount (only if it
 * holds that much, and only to the payout account read), its pending total and in-flight count
 * up; the withdrawal and its day-old watch (TTL `watchExpiresAt`, epoch seconds) put once.
 * With a retry's `original`, that withdrawal is marked retried (only once, only if it failed).
 */
export const createWithdrawal = async (w: Withdrawal, watchExpiresAt: number, original?: Withdrawal): Promise<void> => {
  const items: TransactItem[] = [
    {
      Update: {
        TableName: config().tableName,
        Key: walletKey(w.tutorId),
        UpdateExpression: 'ADD balance :debit, pending :amount, inFlight :one',
        ConditionExpression: 'balance >= :amount AND payoutAccount.recipientCode = :recipient',
        ExpressionAttributeValues: { ':debit': -w.amount.amount, ':amount': w.amount.amount, ':one': 1, ':recipient': w.recipientCode },
      },
    },
    withdrawalPut(w),
    {
      Put: {
        TableName: config().tableName,
        Item: { ...withdrawalWatchKey(w.withdrawalId), type: 'WithdrawalWatch', withdrawalId: w.withdrawalId, expiresAt: watchExpiresAt },
      },
    },
  ];
  if (original) {
    items.push({
      Update: {
        TableName: config().tableName,
        Key: withdrawalKey(original.withdrawalId),
        UpdateExpression: 'SET retriedAs = :new, updatedAt = :at',
        ConditionExpression: '#status IN (:failed, :reversed) AND attribute_not_exists(retriedAs)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':new': w.withdrawalId, ':at': w.createdAt, ':failed': 'FAILED', ':reversed': 'REVERSED' },
      },
    });
  }
  await transactWrite(items, (failed) =>
    failed.includes(3) ? notRetryableError() : failed.includes(0) ? new WalletRefusedError() : new Error(`Withdrawal ${w.withdrawalId} exists`),
  );
};

export const getWithdrawal = async (withdrawalId: string): Promise<Withdrawal | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: withdrawalKey(withdrawalId), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
};

/** The update that moves a withdrawal from `from` to `to` (refiled under its new status), with `fields`. */
const statusUpdate = (w: Withdrawal, from: WithdrawalStatus[], to: WithdrawalStatus, fields: Partial<Withdrawal>): TransactItem => {
  const sets = Object.entries({ ...fields, status: to, gsi3pk: withdrawalStatusPartition(to) });
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  return {
    Update: {
      TableName: config().tableName,
      Key: withdrawalKey(w.withdrawalId),
      UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
      ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#status': 'status' },
      ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([, v], i) => [`:f${i}`, v])), ...fromValues },
    },
  };
};

const conditional = async (send: () => Promise<unknown>): Promise<boolean> => {
  try {
    await send();
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/** Paystack took the transfer: PENDING → PROCESSING. false if it was not PENDING. */
export const markProcessing = (w: Withdrawal, fields: Partial<Withdrawal>) =>
  conditional(() => ddb.send(new UpdateCommand(statusUpdate(w, ['PENDING'], 'PROCESSING', fields).Update!)));

/** A request to Paystack that failed with no known outcome, for operators, while the withdrawal is PENDING. */
export const recordWithdrawalAttempt = (withdrawalId: string, error: string, at: string) =>
  conditional(() =>
    ddb.send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: withdrawalKey(withdrawalId),
        UpdateExpression: 'SET lastError = :error, updatedAt = :at ADD attempts :one',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':error': error.slice(0, 500), ':at': at, ':one': 1, ':pending': 'PENDING' },
      }),
    ),
  );

const walletAdd = (tutorId: string, delta: Record<'balance' | 'pending' | 'inFlight' | 'withdrawn', number>): TransactItem => ({
  Update: {
    TableName: config().tableName,
    Key: walletKey(tutorId),
    UpdateExpression: 'ADD balance :b, pending :p, inFlight :n, withdrawn :w',
    ExpressionAttributeValues: { ':b': delta.balance, ':p': delta.pending, ':n': delta.inFlight, ':w': delta.withdrawn },
  },
});

const ledgerPut = (w: Withdrawal, kind: 'PAYOUT' | 'PAYOUT_REVERSAL', at: string): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: {
      ...ledgerEntryKey(w.tutorId, w.reference, kind),
      type: 'LedgerEntry',
      reference: w.reference,
      kind,
      withdrawalId: w.withdrawalId,
      amount: { amount: kind === 'PAYOUT' ? -w.amount.amount : w.amount.amount, currency: w.amount.currency },
      createdAt: at,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * Paystack's verified outcome, once: the withdrawal leaves the status it was read in for `to`,
 * and the money follows, with `extra` (the tutor's notification):
 * - SUCCEEDED (from PENDING/PROCESSING): the pending debit settled, a PAYOUT ledger entry;
 * - FAILED/REVERSED (from PENDING/PROCESSING): the money back to the available balance;
 * - REVERSED after SUCCEEDED (Paystack took a paid transfer back): the money back to the
 *   available balance, a PAYOUT_REVERSAL ledger entry.
 * false when the withdrawal had moved meanwhile (a duplicate delivery settled it).
 */
export const settleWithdrawal = async (
  w: Withdrawal,
  to: 'SUCCEEDED' | 'FAILED' | 'REVERSED',
  fields: Partial<Withdrawal>,
  at: string,
  extra: TransactItem[],
): Promise<boolean> => {
  const a = w.amount.amount;
  const items: TransactItem[] =
    w.status === 'SUCCEEDED'
      ? [statusUpdate(w, ['SUCCEEDED'], to, fields), walletAdd(w.tutorId, { balance: a, pending: 0, inFlight: 0, withdrawn: -a }), ledgerPut(w, 'PAYOUT_REVERSAL', at)]
      : to === 'SUCCEEDED'
        ? [statusUpdate(w, ['PENDING', 'PROCESSING'], to, fields), walletAdd(w.tutorId, { balance: 0, pending: -a, inFlight: -1, withdrawn: a }), ledgerPut(w, 'PAYOUT', at)]
        : [statusUpdate(w, ['PENDING', 'PROCESSING'], to, fields), walletAdd(w.tutorId, { balance: a, pending: -a, inFlight: -1, withdrawn: 0 })];
  try {
    await transactWrite([...items, ...extra], () => new WalletRefusedError());
    return true;
  } catch (e) {
    if (e instanceof WalletRefusedError) return false;
    throw e;
  }
};

const listOn = async (index: 'gsi2' | 'gsi3', partition: string, cursor: string | undefined, limit: number): Promise<Page<Withdrawal>> => {
  const [pkName, skName] = index === 'gsi2' ? ['gsi2pk', 'gsi2sk'] : ['gsi3pk', 'gsi3sk'];
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', pkName, skName], partition: [pkName, partition] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      IndexName: indexOf(index).name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': pkName },
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { items: (out.Items ?? []).map(fromItem), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};

/** A tutor's withdrawals, newest first: one Query on gsi2. */
export const listTutorWithdrawals = (tutorId: string, cursor: string | undefined, limit: number) => listOn('gsi2', tutorWithdrawalsPartition(tutorId), cursor, limit);

/** Withdrawals in one status, newest first: one Query on gsi3. */
export const listWithdrawalsByStatus = (status: WithdrawalStatus, cursor: string | undefined, limit: number) => listOn('gsi3', withdrawalStatusPartition(status), cursor, limit);
