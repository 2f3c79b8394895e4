/**
 * Payments, the tutor's ledger and wallet. Money moves only here, and only inside a
 * transaction that also changes the payment's and the session's state, with a ledger entry
 * keyed by the payment reference: a second credit (or reversal) of one payment cannot be
 * written, however many webhooks arrive at once.
 */
import { BatchGetCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { config } from '../config';
import { InvalidStateError } from '../domain/errors';
import { splitRevenue, type Currency, type Money } from '../domain/money';
import type { Payment, PaymentRecordStatus } from '../domain/payment';
import type { Session } from '../domain/session';
import { ddb } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { LEDGER_PREFIX, ledgerEntryKey, paymentKey, tutorStatsKey, walletKey } from './keys';
import { sessionReplacement, StaleSessionError, type SessionInternals, type StoredSession } from './sessions';
import { transactWrite, type TransactItem } from './transact';

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
  kind: 'CREDIT' | 'REVERSAL';
  sessionId: string;
  /** Positive for a credit, negative for a reversal. */
  amount: Money;
  createdAt: string;
}

const ledgerPut = (tutorId: string, entry: LedgerEntry): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: { ...ledgerEntryKey(tutorId, entry.reference, entry.kind), type: 'LedgerEntry', ...entry },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** A money movement of a payment: which states it leaves, where it goes, which way the wallet moves. */
interface Movement {
  kind: LedgerEntry['kind'];
  from: PaymentRecordStatus[];
  to: PaymentRecordStatus;
  stamp: 'paidAt' | 'refundedAt';
  sign: 1 | -1;
}

const CREDIT: Movement = { kind: 'CREDIT', from: ['PENDING'], to: 'PAID', stamp: 'paidAt', sign: 1 };
const REVERSAL: Movement = { kind: 'REVERSAL', from: ['PAID', 'REFUND_PENDING'], to: 'REFUNDED', stamp: 'refundedAt', sign: -1 };

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
export const creditPayment = (before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment, at: string) =>
  move(CREDIT, before, next, payment, at);

/** A processed refund: the payment and the session REFUNDED, the tutor's credit reversed with its own entry. */
export const reverseCredit = (before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment, at: string) =>
  move(REVERSAL, before, next, payment, at);

export interface Wallet {
  balance: Money;
  grossRevenue: Money;
  tutorEarnings: Money;
}

const walletFrom = (item: Record<string, unknown> | undefined, fallback: Currency): Wallet => {
  const currency = (item?.currency as Currency | undefined) ?? fallback;
  const n = (k: string) => (typeof item?.[k] === 'number' ? item[k] : 0);
  return {
    balance: { amount: n('balance'), currency },
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
  const out = await ddb.send(
    new BatchGetCommand({ RequestItems: { [config().tableName]: { Keys: [tutorStatsKey(tutorId), walletKey(tutorId)], ConsistentRead: true } } }),
  );
  const items = out.Responses?.[config().tableName] ?? [];
  return {
    stats: items.find((i) => i.sk === tutorStatsKey(tutorId).sk),
    wallet: (fallback: Currency) => walletFrom(items.find((i) => i.sk === walletKey(tutorId).sk), fallback),
  };
};
