/**
 * A request to Paystack that failed with no known outcome (the stream's retry will ask again),
 * kept on the item for operators: how many failed, the last error and when. Only while the
 * item still waits for that request (a refund OWED, a withdrawal PENDING): a change that is no
 * new item, so the stream's consumers, which act on INSERTs, do not act on it.
 */
import { conditional, updateItem } from './ops';
import { RefundEntity } from './refunds';
import { WithdrawalEntity } from './withdrawals';

const WAITING = {
  refund: { key: RefundEntity.key, status: 'OWED' },
  withdrawal: { key: WithdrawalEntity.key, status: 'PENDING' },
} as const;

/** false if the item no longer waits (it moved on meanwhile). */
export const recordAttempt = (of: keyof typeof WAITING, id: string, error: string, at: string): Promise<boolean> =>
  conditional(() =>
    updateItem({
      Key: WAITING[of].key(id),
      UpdateExpression: 'SET lastError = :error, lastAttemptAt = :at, updatedAt = :at ADD attempts :one',
      ConditionExpression: '#status = :waiting',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':error': error.slice(0, 500), ':at': at, ':one': 1, ':waiting': WAITING[of].status },
    }),
  );
