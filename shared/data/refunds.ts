/**
 * The refunds we owe (shared/domain/refund.ts): recorded inside the transaction that makes
 * one owed, moved between statuses with conditional writes, listed by status for operators.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { config } from '../config';
import type { OwedRefund, OwedRefundStatus } from '../domain/refund';
import { ddb } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { refundKey, refundStatusIndex, refundStatusPartition } from './keys';
import type { TransactItem } from './transact';

const ITEM_KEYS = ['pk', 'sk', 'type', 'gsi3pk', 'gsi3sk'] as const;

const fromItem = (item: Record<string, unknown>): OwedRefund => {
  const copy = { ...item };
  for (const k of ITEM_KEYS) delete copy[k];
  return copy as unknown as OwedRefund;
};

/** The refund, recorded once (a second one for the same payment fails the transaction). */
export const owedRefundPut = (r: OwedRefund): TransactItem => ({
  Put: {
    TableName: config().tableName,
    Item: { ...refundKey(r.reference), type: 'Refund', ...refundStatusIndex(r.status, r.createdAt, r.reference), ...r },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export const getRefund = async (reference: string): Promise<OwedRefund | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: refundKey(reference), ConsistentRead: true }));
  return Item ? fromItem(Item) : undefined;
};

/** The update that moves a refund from `from` to `to` (refiled under its new status), with `fields`. */
export const refundStatusUpdate = (r: Pick<OwedRefund, 'reference' | 'createdAt'>, from: OwedRefundStatus[], to: OwedRefundStatus, fields: Partial<OwedRefund>) => {
  const sets = Object.entries({ ...fields, status: to, ...refundStatusIndex(to, r.createdAt, r.reference) });
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  return {
    Update: {
      TableName: config().tableName,
      Key: refundKey(r.reference),
      UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
      ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#status': 'status' },
      ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([, v], i) => [`:f${i}`, v])), ...fromValues },
    },
  } satisfies TransactItem;
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

/** Moves a refund between statuses; false if it was not in `from`. */
export const setRefundStatus = (r: Pick<OwedRefund, 'reference' | 'createdAt'>, from: OwedRefundStatus[], to: OwedRefundStatus, fields: Partial<OwedRefund>) =>
  conditional(() => ddb.send(new UpdateCommand(refundStatusUpdate(r, from, to, fields).Update)));

/**
 * A request that failed, for operators to see, while the refund is still OWED. A change that
 * is no new refund: the stream's consumer does not act on it (it acts on the record's INSERT).
 */
export const recordRefundAttempt = (reference: string, error: string, at: string) =>
  conditional(() =>
    ddb.send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: refundKey(reference),
        UpdateExpression: 'SET lastError = :error, lastAttemptAt = :at, updatedAt = :at ADD attempts :one',
        ConditionExpression: '#status = :owed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':error': error.slice(0, 500), ':at': at, ':one': 1, ':owed': 'OWED' },
      }),
    ),
  );

/** Refunds in one status, newest first: one Query on gsi3. */
export const listRefundsByStatus = async (status: OwedRefundStatus, cursor: string | undefined, limit: number): Promise<Page<OwedRefund>> => {
  const partition = refundStatusPartition(status);
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', 'gsi3pk', 'gsi3sk'], partition: ['gsi3pk', partition] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { items: (out.Items ?? []).map(fromItem), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};
