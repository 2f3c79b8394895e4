/**
 * The inbox: one item per notification under its user, newest first by ULID. A dedupe
 * item in the same transaction makes a retried producer (a workflow step run twice)
 * store an event once.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import type { Notification } from '../domain/notifications';
import { ddb } from './client';
import { notificationDedupeKey, notificationKey } from './keys';

/** Stores the notification; false if one with the same dedupe key was stored before. */
export const putNotification = async (n: Notification, dedupeKey: string): Promise<boolean> => {
  try {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: config().tableName,
              Item: { ...notificationDedupeKey(n.userId, dedupeKey), type: 'NotificationDedupe', notificationId: n.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          { Put: { TableName: config().tableName, Item: { ...notificationKey(n.userId, n.id), type: 'Notification', ...n } } },
        ],
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof TransactionCanceledException && e.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
    throw e;
  }
};
