/**
 * The payout account and the withdrawals (shared/domain/withdrawal.ts). Money moves only in
 * transactions that also move the withdrawal's status, conditionally on the status it was
 * read in: a duplicate or concurrent settlement finds the condition failed and moves nothing.
 *
 * The wallet item carries `balance` (available), `pending` (debited into withdrawals not yet
 * settled), `inFlight` (how many) and `payoutAccount`. A withdrawal is one transaction: the
 * wallet's balance decremented on `balance >= :amount`, the withdrawal put once.
 */
import { CodedError } from '../domain/errors';
import type { Currency } from '../domain/money';
import { WITHDRAWAL_STATUSES, type PayoutAccount, type Withdrawal, type WithdrawalStatus } from '../domain/withdrawal';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { entity, sameShape, storedMoney } from './entity';
import { indexText } from './access-text';
import { tutorWithdrawalsPartition, withdrawalIndexes, withdrawalKey, withdrawalStatusPartition, withdrawalWatchKey } from './keys';
import { conditional, getItem, put, query, statusMove, update, updateItem } from './ops';
import { ledgerPut as ledgerEntryPut, WalletEntity } from './wallet';
import { indexOf } from './table';
import { transactWrite, type TransactItem } from './transact';

/** What a tutor's list shows of a withdrawal: the fields the tutor's index projects (./table.ts WITHDRAWAL_ONLY_FIELDS). */
const listedWithdrawal = z.object({
  withdrawalId: z.string(),
  tutorId: z.string(),
  reference: z.string(),
  amount: storedMoney,
  status: z.enum(WITHDRAWAL_STATUSES),
  bankName: z.string(),
  accountNumberLast4: z.string(),
  failureReason: z.optional(z.string()),
  retriedAs: z.optional(z.string()),
  retryOf: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  settledAt: z.optional(z.string()),
});
export type ListedWithdrawal = z.output<typeof listedWithdrawal>;

const storedWithdrawal = z.extend(listedWithdrawal, {
  recipientCode: z.string(),
  transferCode: z.optional(z.string()),
  attempts: z.optional(z.number()),
  lastError: z.optional(z.string()),
  lastAttemptAt: z.optional(z.string()),
});
sameShape<z.output<typeof storedWithdrawal>, Withdrawal>(true);

export const WithdrawalEntity = entity({
  type: 'Withdrawal',
  about:
    'Withdrawal (`status` PENDING → PROCESSING → SUCCEEDED, or → FAILED / REVERSED; `reference` = `wdr-<id in lower case>`, Paystack’s idempotency key; `attempts`, `lastError`)',
  key: withdrawalKey,
  schema: storedWithdrawal,
  listed: { gsi2: listedWithdrawal },
  keys: (w) => ({ ...withdrawalKey(w.withdrawalId), ...withdrawalIndexes(w.tutorId, w.status, w.withdrawalId) }),
  sample: () => ({ ...withdrawalKey('<withdrawalId>'), ...withdrawalIndexes('<tutorId>', '<status>', '<withdrawalId>') }),
  accessPatterns: () => [
    {
      pattern: 'a withdrawal, once, never more than the balance',
      key: "the wallet's Update `ADD balance -a, pending a, inFlight 1` on `balance >= :a AND payoutAccount.recipientCode = :rc`, Put `WITHDRAWAL#<id>` and its `WITHDRAWAL_WATCH` (`attribute_not_exists`); an admin retry adds the original's `retriedAs` (`status IN (FAILED, REVERSED) AND attribute_not_exists(retriedAs)`)",
      operation: 'TransactWriteItems',
    },
    {
      pattern: "a withdrawal's transfer is asked of Paystack",
      key: "the table's stream, consumer `requestRefunds` (`INSERT` of `type = Withdrawal, sk = WITHDRAWAL, status = PENDING`), then Update PENDING → PROCESSING",
      operation: 'DynamoDB Streams, UpdateItem',
    },
    {
      pattern: 'settle a transfer, once',
      key: "the withdrawal's Update (`status IN (PENDING, PROCESSING)`, or `SUCCEEDED` for a later reversal), the wallet's ADD (`pending`, `inFlight`, `withdrawn`, `balance`), a ledger entry `LEDGER#<reference>#PAYOUT` (or `#PAYOUT_REVERSAL`, `attribute_not_exists`) and the tutor's notification",
      operation: 'TransactWriteItems',
    },
    { pattern: "a tutor's withdrawals, newest first", key: indexText('gsi2', tutorWithdrawalsPartition('<tutorId>')), operation: 'Query ↓' },
    { pattern: 'withdrawals by status (admin)', key: indexText('gsi3', withdrawalStatusPartition('<status>')), operation: 'Query ↓' },
  ],
});

/** A withdrawal's day-old watch: written with it, expired by TTL; its removal on the stream makes the consumer look whether it settled. */
export const WithdrawalWatch = entity({
  type: 'WithdrawalWatch',
  about: 'WithdrawalWatch (TTL `expiresAt` = made + 24 h; its REMOVE on the stream makes the requestRefunds consumer check the withdrawal is settled)',
  key: withdrawalWatchKey,
  schema: z.object({ withdrawalId: z.string(), expiresAt: z.number() }),
  keys: (w) => withdrawalWatchKey(w.withdrawalId),
  sample: () => withdrawalWatchKey('<withdrawalId>'),
  accessPatterns: () => [
    {
      pattern: 'a withdrawal still unsettled a day on (an alarm)',
      key: "the table's stream, consumer `requestRefunds` (`REMOVE` of sk `WITHDRAWAL_WATCH`, by TTL: the keys only), then the withdrawal's GetItem",
      operation: 'DynamoDB Streams, GetItem',
    },
  ],
});

export const withdrawalInFlightError = () => new CodedError(409, 'WITHDRAWAL_IN_FLIGHT', 'A withdrawal is on its way: the payout account can change once it is settled');

export interface WalletState {
  balance: number;
  pending: number;
  inFlight: number;
  currency: Currency | undefined;
  payoutAccount: PayoutAccount | undefined;
}

export const getWalletState = async (tutorId: string): Promise<WalletState> => {
  const item = await getItem(WalletEntity.key(tutorId), { ConsistentRead: true });
  const w = item ? WalletEntity.parse(item) : {};
  return { balance: w.balance ?? 0, pending: w.pending ?? 0, inFlight: w.inFlight ?? 0, currency: w.currency, payoutAccount: w.payoutAccount };
};

/**
 * Stores the payout account on the wallet, with `extra` (the tutor's notification), unless a
 * withdrawal is in flight: one condition on the one item a withdrawal also changes.
 */
export const putPayoutAccount = async (tutorId: string, account: PayoutAccount, extra: TransactItem[]): Promise<void> =>
  transactWrite(
    [
      update({
        Key: WalletEntity.key(tutorId),
        UpdateExpression: 'SET payoutAccount = :account, #type = :type, currency = if_not_exists(currency, :c)',
        ConditionExpression: 'attribute_not_exists(inFlight) OR inFlight <= :zero',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':account': account, ':type': WalletEntity.type, ':c': account.currency, ':zero': 0 },
      }),
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

const withdrawalPut = (w: Withdrawal): TransactItem => put({ Item: WithdrawalEntity.item(w), ConditionExpression: 'attribute_not_exists(pk)' });

/**
 * A withdrawal, all or nothing: the wallet's available balance down by the amount (only if it
 * holds that much, and only to the payout account read), its pending total and in-flight count
 * up; the withdrawal and its day-old watch (TTL `watchExpiresAt`, epoch seconds) put once.
 * With a retry's `original`, that withdrawal is marked retried (only once, only if it failed).
 */
export const insertWithdrawal = async (w: Withdrawal, watchExpiresAt: number, original?: Withdrawal): Promise<void> => {
  const items: TransactItem[] = [
    update({
      Key: WalletEntity.key(w.tutorId),
      UpdateExpression: 'ADD balance :debit, pending :amount, inFlight :one',
      ConditionExpression: 'balance >= :amount AND payoutAccount.recipientCode = :recipient',
      ExpressionAttributeValues: { ':debit': -w.amount.amount, ':amount': w.amount.amount, ':one': 1, ':recipient': w.recipientCode },
    }),
    withdrawalPut(w),
    put({ Item: WithdrawalWatch.item({ withdrawalId: w.withdrawalId, expiresAt: watchExpiresAt }) }),
  ];
  if (original) {
    items.push(
      update({
        Key: WithdrawalEntity.key(original.withdrawalId),
        UpdateExpression: 'SET retriedAs = :new, updatedAt = :at',
        ConditionExpression: '#status IN (:failed, :reversed) AND attribute_not_exists(retriedAs)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':new': w.withdrawalId, ':at': w.createdAt, ':failed': 'FAILED', ':reversed': 'REVERSED' },
      }),
    );
  }
  await transactWrite(items, (failed) =>
    failed.includes(3) ? notRetryableError() : failed.includes(0) ? new WalletRefusedError() : new Error(`Withdrawal ${w.withdrawalId} exists`),
  );
};

export const getWithdrawal = async (withdrawalId: string): Promise<Withdrawal | undefined> => {
  const item = await getItem(WithdrawalEntity.key(withdrawalId), { ConsistentRead: true });
  return item ? WithdrawalEntity.parse(item) : undefined;
};

/** The update that moves a withdrawal from `from` to `to` (refiled under its new status), with `fields`. */
const statusUpdate = (w: Withdrawal, from: WithdrawalStatus[], to: WithdrawalStatus, fields: Partial<Withdrawal>): TransactItem =>
  statusMove(WithdrawalEntity.key(w.withdrawalId), from, to, { ...fields, gsi3pk: withdrawalStatusPartition(to) });

/** Paystack took the transfer: PENDING → PROCESSING. false if it was not PENDING. */
export const markProcessing = (w: Withdrawal, fields: Partial<Withdrawal>) => conditional(() => updateItem(statusUpdate(w, ['PENDING'], 'PROCESSING', fields).Update!));

const walletAdd = (tutorId: string, delta: Record<'balance' | 'pending' | 'inFlight' | 'withdrawn', number>): TransactItem =>
  update({
    Key: WalletEntity.key(tutorId),
    UpdateExpression: 'ADD balance :b, pending :p, inFlight :n, withdrawn :w',
    ExpressionAttributeValues: { ':b': delta.balance, ':p': delta.pending, ':n': delta.inFlight, ':w': delta.withdrawn },
  });

const ledgerPut = (w: Withdrawal, kind: 'PAYOUT' | 'PAYOUT_REVERSAL', at: string): TransactItem =>
  ledgerEntryPut(w.tutorId, {
    reference: w.reference,
    kind,
    withdrawalId: w.withdrawalId,
    amount: { amount: kind === 'PAYOUT' ? -w.amount.amount : w.amount.amount, currency: w.amount.currency },
    createdAt: at,
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

const listOn = async <T>(index: 'gsi2' | 'gsi3', parse: (item: Record<string, unknown>) => T, partition: string, cursor: string | undefined, limit: number): Promise<Page<T>> => {
  const { name, partitionKey, sortKey } = indexOf(index);
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', partitionKey, sortKey], partition: [partitionKey, partition] });
  const out = await query({
    IndexName: name,
    KeyConditionExpression: '#p = :p',
    ExpressionAttributeNames: { '#p': partitionKey },
    ExpressionAttributeValues: { ':p': partition },
    ScanIndexForward: false,
    ExclusiveStartKey: start,
    Limit: limit,
  });
  return { items: (out.Items ?? []).map(parse), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};

/** A tutor's withdrawals, newest first: one Query on gsi2 (what it projects of each). */
export const listTutorWithdrawals = (tutorId: string, cursor: string | undefined, limit: number): Promise<Page<ListedWithdrawal>> =>
  listOn('gsi2', (i) => WithdrawalEntity.parseListed('gsi2', i), tutorWithdrawalsPartition(tutorId), cursor, limit);

/** Withdrawals in one status, newest first: one Query on gsi3. */
export const listWithdrawalsByStatus = (status: WithdrawalStatus, cursor: string | undefined, limit: number): Promise<Page<Withdrawal>> =>
  listOn('gsi3', WithdrawalEntity.parse, withdrawalStatusPartition(status), cursor, limit);
