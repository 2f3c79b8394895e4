/**
 * Payments, the tutor's ledger and wallet. Money moves only here, and only inside a
 * transaction that also changes the payment's state (conditionally on the state it was read
 * in), with a ledger entry keyed by the payment reference (and, for a reversal, the refunded
 * total it brings about): a second credit or reversal of the same money cannot be written,
 * however many webhooks arrive at once.
 */
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { config } from '../config';
import { InvalidStateError } from '../domain/errors';
import { splitRefund, splitRevenue, type Currency, type Money } from '../domain/money';
import type { Payment, PaymentRecordStatus } from '../domain/payment';
import type { Session } from '../domain/session';
import { ddb } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { LEDGER_PREFIX, ledgerEntryKey, paymentKey, tutorStatsKey, walletKey } from './keys';
import { sessionReplacement, StaleSessionError, type SessionInternals, type StoredSession } from './sessions';
import { transactWrite, type TransactItem } from './transact';
import { logger } from '../observability/logger';

/** The payment's own record could not move: it was settled already (a duplicate). */
export class PaymentAlreadySettledError extends InvalidStateError {
  constructor(reference: string) {
    super(`Payment ${reference} was settled already`);
  }
}

const strip = (item: Record<string, unknown>) => {
  const { pk: _pk, sk: _sk, type: _t, ...rest } = item;
  return rest;
};

export const paymentPut = (p: Payment): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: { ...paymentKey(p.reference), type: 'Payment', ...p },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export const getPayment = async (reference: string): Promise<Payment | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: paymentKey(reference), ConsistentRead: true }));
  return Item ? (strip(Item) as unknown as Payment) : undefined;
};

/** Opens a payment for a session that exists: the record and the session's reference, together. */
export const attachPayment = async (before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment): Promise<StoredSession> => {
  const { put, stored } = sessionReplacement(before, next);
  await transactWrite([put, paymentPut(payment)], (failed) => (failed.includes(0) ? new StaleSessionError() : new InvalidStateError('Payment exists')));
  return stored;
};

/** Moves a payment record between statuses it may leave (a conditional write). false if it was not in `from`. */
export const setPaymentStatus = async (reference: string, from: PaymentRecordStatus[], to: PaymentRecordStatus, fields: Partial<Payment> = {}): Promise<boolean> => {
  const sets = Object.entries({ ...fields, status: to });
  const names = Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k]));
  const values = Object.fromEntries(sets.map(([, v], i) => [`:f${i}`, v]));
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: paymentKey(reference),
        UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
        ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(fromValues).join(', ')})`,
        ExpressionAttributeNames: { ...names, '#status': 'status' },
        ExpressionAttributeValues: { ...values, ...fromValues },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

const walletChange = (tutorId: string, currency: Currency, delta: { balance: number; gross: number; earnings: number }): TransactItem => ({
  Update: {
    TableName: config().tableName,
    Key: walletKey(tutorId),
    UpdateExpression: 'ADD balance :b, grossRevenue :g, tutorEarnings :e SET #type = :type, currency = if_not_exists(currency, :c)',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':b': delta.balance, ':g': delta.gross, ':e': delta.earnings, ':type': 'Wallet', ':c': currency },
  },
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

const ledgerPut = (tutorId: string, entry: LedgerEntry, refundedTotal?: number): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: { ...ledgerEntryKey(tutorId, entry.reference, entry.kind, refundedTotal), type: 'LedgerEntry', ...entry },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
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
      {
        Update: {
          TableName: config().tableName,
          Key: paymentKey(payment.reference),
          UpdateExpression: 'SET #status = :to, #stamp = :at, updatedAt = :at',
          ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
          ExpressionAttributeNames: { '#status': 'status', '#stamp': m.stamp },
          ExpressionAttributeValues: { ':to': m.to, ':at': at, ...fromValues },
        },
      },
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

/**
 * The payment's side of a refund becoming owed: PAID → REFUND_PENDING, only if nothing was
 * refunded since it was read (the amount owed was computed from it).
 */
export const refundOwedUpdate = (payment: Pick<Payment, 'reference' | 'refundedAmount'>, at: string): TransactItem => ({
  Update: {
    TableName: config().tableName,
    Key: paymentKey(payment.reference),
    UpdateExpression: 'SET #status = :to, refundRequestedAt = :at, updatedAt = :at',
    ConditionExpression: `#status = :paid AND ${refundedIs(payment.refundedAmount ?? 0)}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':to': 'REFUND_PENDING', ':at': at, ':paid': 'PAID', ':refunded': payment.refundedAmount ?? 0 },
  },
});

/**
 * Money that arrived for a session closed meanwhile: the payment PENDING → REFUND_PENDING,
 * marked orphaned (never credited), with `extra` (the refund owed). false if it was not PENDING.
 */
export const takeOrphanedPayment = async (reference: string, at: string, extra: TransactItem[]): Promise<boolean> => {
  try {
    await transactWrite(
      [
        {
          Update: {
            TableName: config().tableName,
            Key: paymentKey(reference),
            UpdateExpression: 'SET #status = :to, orphaned = :yes, paidAt = :at, refundRequestedAt = :at, updatedAt = :at',
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':to': 'REFUND_PENDING', ':yes': true, ':at': at, ':pending': 'PENDING' },
          },
        },
        ...extra,
      ],
      () => new PaymentAlreadySettledError(reference),
    );
    return true;
  } catch (e) {
    if (e instanceof PaymentAlreadySettledError) return false;
    throw e;
  }
};

/** The wallet's available balance now (a consistent read). */
const availableBalance = async (tutorId: string): Promise<number> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: walletKey(tutorId), ConsistentRead: true, ProjectionExpression: 'balance' }));
  return typeof Item?.balance === 'number' ? Item.balance : 0;
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
  return {
    Update: {
      TableName: config().tableName,
      Key: walletKey(payment.tutorId),
      UpdateExpression: 'ADD balance :b, grossRevenue :g, tutorEarnings :e, shortfall :s SET #type = :type, currency = if_not_exists(currency, :c)',
      ConditionExpression: shortfall === 0 ? 'balance >= :taken' : taken === 0 ? 'attribute_not_exists(balance) OR balance <= :zero' : 'balance = :taken',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':b': -taken,
        ':g': gross,
        ':e': -share,
        ':s': shortfall,
        ':type': 'Wallet',
        ':c': payment.amount.currency,
        ...(taken === 0 ? { ':zero': 0 } : { ':taken': taken }),
      },
    },
  };
};

/** The condition that the payment's refunded total is still `amount` (`:refunded`). */
const refundedIs = (amount: number) => (amount === 0 ? '(attribute_not_exists(refundedAmount) OR refundedAmount = :refunded)' : 'refundedAmount = :refunded');

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
      {
        Update: {
          TableName: config().tableName,
          Key: paymentKey(payment.reference),
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
        },
      },
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
  const currency = (item?.currency as Currency | undefined) ?? fallback;
  const n = (k: string) => (typeof item?.[k] === 'number' ? item[k] : 0);
  return {
    balance: { amount: n('balance'), currency },
    available: { amount: n('balance'), currency },
    pending: { amount: n('pending'), currency },
    grossRevenue: { amount: n('grossRevenue'), currency },
    tutorEarnings: { amount: n('tutorEarnings'), currency },
  };
};

/** The wallet and the newest ledger entries in one Query (the wallet item sorts first). */
export const walletWithLedger = async (tutorId: string, cursor: string | undefined, limit: number, fallback: Currency) => {
  const pk = walletKey(tutorId).pk;
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk'], partition: ['pk', pk], sortPrefix: ['sk', LEDGER_PREFIX] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': LEDGER_PREFIX },
      ScanIndexForward: false,
      ExclusiveStartKey: start,
      Limit: start ? limit : limit + 1,
    }),
  );
  const items = out.Items ?? [];
  const walletSk = walletKey(tutorId).sk;
  const wallet = items.find((i) => i.sk === walletSk);
  return {
    wallet: start ? null : walletFrom(wallet, fallback),
    items: items.filter((i) => i.sk !== walletSk).map((i) => strip(i) as unknown as LedgerEntry),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
};

/** The tutor's dashboard counters and wallet in one BatchGetItem. */
export const countersAndWallet = async (tutorId: string) => {
  const out = await ddb.send(new BatchGetCommand({ RequestItems: { [config().tableName]: { Keys: [tutorStatsKey(tutorId), walletKey(tutorId)], ConsistentRead: true } } }));
  const items = out.Responses?.[config().tableName] ?? [];
  return {
    stats: items.find((i) => i.sk === tutorStatsKey(tutorId).sk),
    wallet: (fallback: Currency) =>
      walletFrom(
        items.find((i) => i.sk === walletKey(tutorId).sk),
        fallback,
      ),
  };
};
