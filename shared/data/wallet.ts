/**
 * The tutor's ledger and wallet, and the payment moves that change them. Money moves only here,
 * and only inside a transaction that also changes the payment's state (conditionally on the
 * state it was read in), with a ledger entry keyed by the payment reference (and, for a
 * reversal, the refunded total it brings about): a second credit or reversal of the same money
 * cannot be written, however many webhooks arrive at once.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { CURRENCIES, splitRefund, splitRevenue, type Currency, type Money } from '../domain/money';
import type { Payment, PaymentRecordStatus } from '../domain/payment';
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { ddb } from './client';
import { headedPage } from './headed-page';
import { entity, sameShape, storedMoney } from './entity';
import { code, partitionText } from './access-text';
import { LEDGER_PREFIX, ledgerEntryKey, tutorPartition, walletKey } from './keys';
import { getItem, put, tableName, update } from './ops';
import { sessionReplacement, StaleSessionError, type SessionInternals, type StoredSession } from './sessions';
import { TutorStats } from './stats';
import { transactWrite, type TransactItem } from './transact';
import { logger } from '../observability/logger';
import { PaymentAlreadySettledError, PaymentEntity, refundedIs } from './payments';

/**
 * The wallet (balance and revenue totals) of a tutor, changed only by ADDs inside the
 * transactions that move money; also the payout account, the money in withdrawals not yet
 * settled (`pending`) and how many there are (`inFlight`).
 */
export const WalletEntity = entity({
  type: 'Wallet',
  about: 'Wallet (`balance`, `grossRevenue`, `tutorEarnings`, `shortfall`, `withdrawn`; `payoutAccount`, `pending`, `inFlight`)',
  key: walletKey,
  schema: z.object({
    currency: z.optional(z.enum(CURRENCIES)),
    balance: z.optional(z.number()),
    grossRevenue: z.optional(z.number()),
    tutorEarnings: z.optional(z.number()),
    shortfall: z.optional(z.number()),
    pending: z.optional(z.number()),
    inFlight: z.optional(z.number()),
    withdrawn: z.optional(z.number()),
    payoutAccount: z.optional(
      z.object({
        bankCode: z.string(),
        bankName: z.string(),
        accountNumberLast4: z.string(),
        accountName: z.string(),
        currency: z.enum(CURRENCIES),
        recipientCode: z.string(),
        updatedAt: z.string(),
      }),
    ),
  }),
  sample: () => walletKey('<id>'),
  accessPatterns: () => [
    {
      pattern: "a refund's reversal never takes the available balance below zero",
      key: "the wallet's Update is conditional: `balance >= :share`, else (a withdrawal took the money) `balance = :read` taking what was read and recording the rest as `shortfall`",
      operation: 'in the same TransactWriteItems',
    },
    {
      pattern: 'payout account (on the wallet item `LEDGER#~WALLET`: `payoutAccount`, `pending`, `inFlight`)',
      key: "Update `SET payoutAccount` with `attribute_not_exists(inFlight) OR inFlight <= 0`, with the tutor's notification",
      operation: 'TransactWriteItems',
    },
  ],
});

const walletChange = (tutorId: string, currency: Currency, delta: { balance: number; gross: number; earnings: number }): TransactItem =>
  update({
    Key: WalletEntity.key(tutorId),
    UpdateExpression: 'ADD balance :b, grossRevenue :g, tutorEarnings :e SET #type = :type, currency = if_not_exists(currency, :c)',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':b': delta.balance, ':g': delta.gross, ':e': delta.earnings, ':type': WalletEntity.type, ':c': currency },
  });

export interface LedgerEntry {
  reference: string;
  /** A payment's CREDIT and REVERSAL; a withdrawal's PAYOUT and, if Paystack takes it back, PAYOUT_REVERSAL. */
  kind: 'CREDIT' | 'REVERSAL' | 'PAYOUT' | 'PAYOUT_REVERSAL';
  /** A payment's entries name its session, a withdrawal's the withdrawal. */
  sessionId?: string;
  withdrawalId?: string;
  /** Positive for a credit (and a payout taken back), negative for a reversal and a payout. */
  amount: Money;
  createdAt: string;
}

const LEDGER_KINDS = ['CREDIT', 'REVERSAL', 'PAYOUT', 'PAYOUT_REVERSAL'] as const satisfies readonly LedgerEntry['kind'][];

const storedLedgerEntry = z.object({
  reference: z.string(),
  kind: z.enum(LEDGER_KINDS),
  sessionId: z.optional(z.string()),
  withdrawalId: z.optional(z.string()),
  amount: storedMoney,
  createdAt: z.string(),
});
sameShape<z.output<typeof storedLedgerEntry>, LedgerEntry>(true);

/** One money movement of a tutor's; its key names the movement, so none is written twice (./keys.ts ledgerEntryKey). */
export const LedgerEntryEntity = entity({
  type: 'LedgerEntry',
  about: 'LedgerEntry (one money movement: a payment’s CREDIT or REVERSAL, a withdrawal’s PAYOUT or PAYOUT_REVERSAL)',
  key: ledgerEntryKey,
  schema: storedLedgerEntry,
  sample: () => ({ pk: tutorPartition('<id>'), sk: `${LEDGER_PREFIX}<reference>#<kind>[#<refunded total>]` }),
  accessPatterns: () => [
    {
      pattern: "a tutor's wallet and newest ledger entries (GET /me/wallet)",
      key: `${partitionText(tutorPartition('<id>'))}, sk prefix ${code(LEDGER_PREFIX)}, descending (the wallet, ${code(walletKey('<id>').sk)}, comes first)`,
      operation: 'Query ↓',
    },
  ],
});

/** A ledger entry, once (its key is the movement's). */
export const ledgerPut = (tutorId: string, entry: LedgerEntry, refundedTotal?: number): TransactItem =>
  put({
    Item: { ...LedgerEntryEntity.key(tutorId, entry.reference, entry.kind, refundedTotal), ...LedgerEntryEntity.item(entry) },
    ConditionExpression: 'attribute_not_exists(pk)',
  });

/** A money movement of a payment: which states it leaves, where it goes, which way the wallet moves. */
interface Movement {
  kind: 'CREDIT' | 'REVERSAL';
  from: PaymentRecordStatus[];
  to: PaymentRecordStatus;
  stamp: 'paidAt' | 'refundedAt';
  sign: 1 | -1;
}

const CREDIT: Movement = { kind: 'CREDIT', from: ['PENDING'], to: 'PAID', stamp: 'paidAt', sign: 1 };

/**
 * One movement, all or nothing: the payment record leaves `from` for `to`, the session is
 * replaced (only if unchanged since it was read), a ledger entry keyed by the reference and
 * the kind is written (so the same movement can never happen twice), the wallet changes.
 */
const move = async (m: Movement, before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment, at: string): Promise<StoredSession> => {
  const share = splitRevenue(payment.amount).tutorShare;
  const { put, stored } = sessionReplacement(before, next);
  const fromValues = Object.fromEntries(m.from.map((s, i) => [`:from${i}`, s]));
  await transactWrite(
    [
      update({
        Key: PaymentEntity.key(payment.reference),
        UpdateExpression: 'SET #status = :to, #stamp = :at, updatedAt = :at',
        ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: { '#status': 'status', '#stamp': m.stamp },
        ExpressionAttributeValues: { ':to': m.to, ':at': at, ...fromValues },
      }),
      put,
      ledgerPut(payment.tutorId, {
        reference: payment.reference,
        kind: m.kind,
        sessionId: payment.sessionId,
        amount: { amount: m.sign * share.amount, currency: share.currency },
        createdAt: at,
      }),
      walletChange(payment.tutorId, payment.amount.currency, {
        balance: m.sign * share.amount,
        gross: m.sign * payment.amount.amount,
        earnings: m.sign * share.amount,
      }),
    ],
    (failed) => (failed.includes(0) || failed.includes(2) ? new PaymentAlreadySettledError(payment.reference) : new StaleSessionError()),
  );
  return stored;
};

/** A verified payment: the payment PAID, the session PAID (status stays SCHEDULED), the tutor's share credited. */
export const creditPayment = (before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment, at: string) => move(CREDIT, before, next, payment, at);

/** The wallet's available balance now (a consistent read). */
const availableBalance = async (tutorId: string): Promise<number> => {
  const item = await getItem(WalletEntity.key(tutorId), { ConsistentRead: true, ProjectionExpression: 'balance' });
  return (item && WalletEntity.parse(item).balance) ?? 0;
};

/**
 * Taking the tutor's share of a refund back without the available balance ever going below
 * zero (a withdrawal may have taken the money meanwhile): all of it when the balance holds it,
 * else what the balance held when read (conditionally on it being unchanged, so a concurrent
 * withdrawal makes the transaction fail and the caller read again), the rest recorded as
 * `shortfall`, owed by the tutor, for an operator.
 */
const reversalWalletChange = (payment: Payment, share: number, held: number, gross: number): TransactItem => {
  const taken = Math.min(share, Math.max(held, 0));
  const shortfall = share - taken;
  return update({
    Key: WalletEntity.key(payment.tutorId),
    UpdateExpression: 'ADD balance :b, grossRevenue :g, tutorEarnings :e, shortfall :s SET #type = :type, currency = if_not_exists(currency, :c)',
    ConditionExpression: shortfall === 0 ? 'balance >= :taken' : taken === 0 ? 'attribute_not_exists(balance) OR balance <= :zero' : 'balance = :taken',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':b': -taken,
      ':g': gross,
      ':e': -share,
      ':s': shortfall,
      ':type': WalletEntity.type,
      ':c': payment.amount.currency,
      ...(taken === 0 ? { ':zero': 0 } : { ':taken': taken }),
    },
  });
};

/**
 * Paystack refunded more of the payment: its refunded total goes from what it was when read
 * to `refunded` (REFUNDED once it is all of it), and, unless the payment was never credited
 * (`orphaned`), the tutor's share of that part is taken back with a ledger entry keyed by the
 * new total and the wallet changes, all with `extra` (the session's change, the owed refund's).
 * A payment moved meanwhile (another delivery settled it) fails with PaymentAlreadySettledError.
 */
export const settleRefundedPart = async (payment: Payment, refunded: number, at: string, extra: TransactItem[] = []): Promise<void> => {
  const before = payment.refundedAmount ?? 0;
  const full = refunded === payment.amount.amount;
  const reversal = splitRefund(payment.amount, before, refunded);
  const held = payment.orphaned ? 0 : await availableBalance(payment.tutorId);
  const money: TransactItem[] = payment.orphaned
    ? []
    : [
        ledgerPut(
          payment.tutorId,
          {
            reference: payment.reference,
            kind: 'REVERSAL',
            sessionId: payment.sessionId,
            amount: { amount: -reversal.tutorShare.amount, currency: payment.amount.currency },
            createdAt: at,
          },
          refunded,
        ),
        reversalWalletChange(payment, reversal.tutorShare.amount, held, -(refunded - before)),
      ];
  await transactWrite(
    [
      update({
        Key: PaymentEntity.key(payment.reference),
        UpdateExpression: `SET #status = :to, refundedAmount = :after, updatedAt = :at${full ? ', refundedAt = :at' : ''}`,
        ConditionExpression: `#status IN (:paid, :pending) AND ${refundedIs(before)}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': full ? 'REFUNDED' : payment.status,
          ':after': refunded,
          ':at': at,
          ':paid': 'PAID',
          ':pending': 'REFUND_PENDING',
          ':refunded': before,
        },
      }),
      ...money,
      ...extra,
    ],
    (failed) => (failed.includes(0) || (!payment.orphaned && failed.includes(1)) ? new PaymentAlreadySettledError(payment.reference) : new StaleSessionError()),
  );
  if (!payment.orphaned && held < reversal.tutorShare.amount) {
    logger.error('A refund took back more than the tutor’s available balance: the rest is owed (wallet shortfall)', {
      reference: payment.reference,
      tutorId: payment.tutorId,
      shortfall: reversal.tutorShare.amount - Math.max(held, 0),
    });
  }
};

export interface Wallet {
  /** What can be withdrawn now (the same as `available`). */
  balance: Money;
  available: Money;
  /** Debited into withdrawals not yet settled. */
  pending: Money;
  grossRevenue: Money;
  tutorEarnings: Money;
}

const walletFrom = (item: Record<string, unknown> | undefined, fallback: Currency): Wallet => {
  const w = item ? WalletEntity.parse(item) : {};
  const currency = w.currency ?? fallback;
  return {
    balance: { amount: w.balance ?? 0, currency },
    available: { amount: w.balance ?? 0, currency },
    pending: { amount: w.pending ?? 0, currency },
    grossRevenue: { amount: w.grossRevenue ?? 0, currency },
    tutorEarnings: { amount: w.tutorEarnings ?? 0, currency },
  };
};

/** The wallet and the newest ledger entries in one Query (the wallet item sorts first). */
export const walletWithLedger = async (tutorId: string, cursor: string | undefined, limit: number, fallback: Currency) => {
  const { pk, sk } = WalletEntity.key(tutorId);
  const page = await headedPage({ pk, prefix: LEDGER_PREFIX, headSk: sk, cursor, limit });
  return {
    wallet: page.first ? walletFrom(page.head, fallback) : null,
    items: page.entries.map(LedgerEntryEntity.parse),
    nextCursor: page.nextCursor,
  };
};

/** The tutor's dashboard counters and wallet in one BatchGetItem. */
export const countersAndWallet = async (tutorId: string) => {
  const table = tableName();
  const out = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: [TutorStats.key(tutorId), WalletEntity.key(tutorId)], ConsistentRead: true } } }));
  const items = out.Responses?.[table] ?? [];
  const stats = items.find((i) => i.sk === TutorStats.key(tutorId).sk);
  return {
    stats: stats ? TutorStats.parse(stats) : undefined,
    wallet: (fallback: Currency) =>
      walletFrom(
        items.find((i) => i.sk === WalletEntity.key(tutorId).sk),
        fallback,
      ),
  };
};
