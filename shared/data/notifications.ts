/**
 * The inbox: one item per notification under its user, newest first by ULID, and an
 * unread counter kept in the same transactions. A dedupe item makes a retried producer
 * (a workflow step run twice) store an event once.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { NotFoundError } from '../domain/errors';
import type { Notification, NotificationFacts } from '../domain/notifications';
import { ddb } from './client';
import { decodeCursor, encodeCursor } from './cursor';
import { transactWrite, type TransactItem } from './transact';
import { inboxCounterKey, NOTIFICATION_PREFIX, notificationDedupeKey, notificationKey } from './keys';

const unreadChange = (userId: string, delta: 1 | -1) => ({
  Update: {
    TableName: config().tableName,
    Key: inboxCounterKey(userId),
    UpdateExpression: 'ADD unread :d SET #type = :type',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':d': delta, ':type': 'InboxCounter' },
  },
});

/** A transaction's condition failed: the dedupe item exists, or the notification is read already (or not the user's). */
class ConditionFailed extends Error {}

/**
 * The writes that store a notification: the dedupe marker (only if this event was not stored
 * for the user before), the inbox item, and the unread count. Its own transaction
 * (`putNotification`) or part of the transaction of the change it tells of; storing the item
 * is what pushes it (the table stream, functions/streams/pushNotifications.ts).
 */
export const notificationWrites = (n: Notification, dedupeKey: string, facts?: NotificationFacts): TransactItem[] => [
  {
    Put: {
      TableName: config().tableName,
      Item: { ...notificationDedupeKey(n.userId, dedupeKey), type: 'NotificationDedupe', notificationId: n.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  { Put: { TableName: config().tableName, Item: { ...notificationKey(n.userId, n.id), type: 'Notification', ...n, ...(facts ? { facts } : {}) } } },
  // One stored read (the recipient made the change) is no unread one.
  ...(n.readAt === null ? [unreadChange(n.userId, 1)] : []),
];

/**
 * Stores the notification; false if one with the same dedupe key was stored before. A
 * transaction cancelled only by a concurrent one on the same counter (two notifications for
 * one user at once) is retried, so neither is lost.
 */
export const putNotification = async (n: Notification, dedupeKey: string, facts?: NotificationFacts): Promise<boolean> => {
  try {
    await transactWrite(notificationWrites(n, dedupeKey, facts), () => new ConditionFailed());
    return true;
  } catch (e) {
    if (e instanceof ConditionFailed) return false;
    throw e;
  }
};

/** The notification an inbox item holds (as read, or as the table stream delivers it); its facts are the email's alone. */
export const notificationFromItem = (item: Record<string, unknown>): Notification => {
  const { pk: _pk, sk: _sk, type: _t, facts: _f, ...n } = item;
  return n as unknown as Notification;
};
const toNotification = notificationFromItem;

export interface InboxPage {
  items: Notification[];
  /** On the first page only (later pages are past the counter). */
  unreadCount: number | null;
  nextCursor: string | null;
}

/** Newest first, with the unread count, in one Query. */
export const listNotifications = async (userId: string, cursor: string | undefined, limit: number): Promise<InboxPage> => {
  const pk = notificationKey(userId, '').pk;
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk'], partition: ['pk', pk], sortPrefix: ['sk', NOTIFICATION_PREFIX] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': NOTIFICATION_PREFIX },
      ScanIndexForward: false,
      ExclusiveStartKey: start,
      // One more than asked for on the first page: the counter comes first.
      Limit: start ? limit : limit + 1,
    }),
  );
  const items = out.Items ?? [];
  const counterSk = inboxCounterKey(userId).sk;
  const counter = items.find((i) => i.sk === counterSk);
  return {
    items: items.filter((i) => i.sk !== counterSk).map(toNotification),
    unreadCount: start ? null : Math.max(0, (counter?.unread as number | undefined) ?? 0),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
};

/** Marks one notification read (once: reading it again changes nothing). 404 if it is not the user's. */
export const markNotificationRead = async (userId: string, id: string, at: string): Promise<Notification> => {
  try {
    await transactWrite(
      [
        {
          Update: {
            TableName: config().tableName,
            Key: notificationKey(userId, id),
            UpdateExpression: 'SET readAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_type(readAt, :null)',
            ExpressionAttributeValues: { ':at': at, ':null': 'NULL' },
          },
        },
        unreadChange(userId, -1),
      ],
      () => new ConditionFailed(),
    );
  } catch (e) {
    // Read already, or not the user's (then the read below finds nothing: 404).
    if (!(e instanceof ConditionFailed)) throw e;
  }
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: notificationKey(userId, id) }));
  if (!Item) throw new NotFoundError('No such notification');
  return toNotification(Item);
};
