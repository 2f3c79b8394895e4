/**
 * TransactWriteItems with the two things every caller needs: a retry when DynamoDB cancels
 * the transaction only because another one touched the same items at the same moment
 * (TransactionConflict), and a way to turn a failed condition into the domain's error.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './client';

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
export type TransactItem = Items[number];

/** Indexes (into the transaction's items) of the conditions that failed. */
export type FailedConditions = number[];

const MAX_ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const transactWrite = async (items: Items, onConditionFailed: (failed: FailedConditions) => Error): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (e) {
      if (!(e instanceof TransactionCanceledException)) throw e;
      const reasons = e.CancellationReasons ?? [];
      const failed = reasons.flatMap((r, i) => (r.Code === 'ConditionalCheckFailed' ? [i] : []));

      if (failed.length > 0) throw onConditionFailed(failed);
      const conflict = reasons.some((r) => r.Code === 'TransactionConflict');
      if (!conflict || attempt >= MAX_ATTEMPTS) throw e;
      // Full jitter: concurrent writers spread out instead of colliding again.
      await sleep(Math.random() * 20 * 2 ** attempt);
    }
  }
};
