/**
 * The inbox: one item per notification under its user, newest first by ULID, and an
 * unread counter kept in the same transactions. A dedupe item makes a retried producer
 * (a workflow step run twice) store an event once.
 */
import { NotFoundError } from '../domain/errors';
import { NOTIFICATION_EVENTS, type Notification, type NotificationFacts } from '../domain/notifications';
import * as z from '../schemas/zod';
import { headedPage } from './headed-page';
import { entity, nullableString, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { transactWrite, type TransactItem } from './transact';
import { inboxCounterKey, NOTIFICATION_PREFIX, notificationDedupeKey, notificationKey } from './keys';
import { getItem, put, update } from './ops';

const storedNotification = z.object({
  id: z.string(),
  userId: z.string(),
  event: z.enum(NOTIFICATION_EVENTS),
  title: z.string(),
  body: z.string(),
  sessionId: z.optional(z.string()),
  action: z.object({ label: z.string(), href: z.string() }),
  createdAt: z.string(),
  readAt: nullableString,
});
sameShape<z.output<typeof storedNotification>, Notification>(true);

/** An inbox item; its `facts` (what the email of it needs) are the email's alone and not part of the notification read back. */
export const NotificationEntity = entity({
  type: 'Notification',
  about: 'Notification',
  key: notificationKey,
  schema: storedNotification,
  keys: (n) => notificationKey(n.userId, n.id),
  sample: () => notificationKey('<id>', '<ulid>'),
  accessPatterns: () => [
    {
      pattern: "a user's notifications, newest first, with the unread count",
      key: `${partitionText(notificationKey('<id>', '').pk)}, sk prefix ${code(NOTIFICATION_PREFIX)}, descending (the counter comes first)`,
      operation: 'Query ↓',
    },
  ],
});

/** The unread counter sorts after every notification, so the newest-first inbox Query returns it first. */
export const InboxCounter = entity({
  type: 'InboxCounter',
  about: 'InboxCounter (unread)',
  key: inboxCounterKey,
  schema: z.object({ unread: z.optional(z.number()) }),
  sample: () => inboxCounterKey('<id>'),
  accessPatterns: () => [
    {
      pattern: 'the unread count, kept with the inbox',
      key: `Update ${keyText(inboxCounterKey('<id>'))} \`ADD unread\` +1 in the transaction that stores a notification, −1 in the one that marks it read`,
      operation: 'TransactWriteItems',
    },
  ],
});

/** Marks that an event was stored for a user, so a retried producer stores it once. */
export const NotificationDedupe = entity({
  type: 'NotificationDedupe',
  about: 'NotificationDedupe (the dedupe key: `<sessionId>#<event>#<occurrence>`; account events: `<event>#<submittedAt>`)',
  key: notificationDedupeKey,
  schema: z.object({ notificationId: z.string() }),
  sample: () => notificationDedupeKey('<id>', '<dedupe key>'),
  accessPatterns: () => [
    {
      pattern: 'an event stored once per producer',
      key: "Put `NOTIFIED#…` with `attribute_not_exists` in the notification's transaction (approve and reject: in the decision's own transaction)",
      operation: 'TransactWriteItems',
    },
  ],
});

const unreadChange = (userId: string, delta: 1 | -1) =>
  update({
    Key: InboxCounter.key(userId),
    UpdateExpression: 'ADD unread :d SET #type = :type',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: { ':d': delta, ':type': InboxCounter.type },
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
  put({ Item: { ...NotificationDedupe.key(n.userId, dedupeKey), ...NotificationDedupe.item({ notificationId: n.id }) }, ConditionExpression: 'attribute_not_exists(pk)' }),
  put({ Item: { ...NotificationEntity.item(n), ...(facts ? { facts } : {}) } }),
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
export const notificationFromItem = (item: Record<string, unknown>): Notification => NotificationEntity.parse(item);
const toNotification = notificationFromItem;

export interface InboxPage {
  items: Notification[];
  /** On the first page only (later pages are past the counter). */
  unreadCount: number | null;
  nextCursor: string | null;
}

/** Newest first, with the unread count, in one Query. */
export const listNotifications = async (userId: string, cursor: string | undefined, limit: number): Promise<InboxPage> => {
  const page = await headedPage({ pk: notificationKey(userId, '').pk, prefix: NOTIFICATION_PREFIX, headSk: inboxCounterKey(userId).sk, cursor, limit });
  return {
    items: page.entries.map(toNotification),
    unreadCount: page.first ? Math.max(0, (page.head && InboxCounter.parse(page.head).unread) ?? 0) : null,
    nextCursor: page.nextCursor,
  };
};

/** Marks one notification read (once: reading it again changes nothing). 404 if it is not the user's. */
export const setNotificationRead = async (userId: string, id: string, at: string): Promise<Notification> => {
  try {
    await transactWrite(
      [
        update({
          Key: NotificationEntity.key(userId, id),
          UpdateExpression: 'SET readAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_type(readAt, :null)',
          ExpressionAttributeValues: { ':at': at, ':null': 'NULL' },
        }),
        unreadChange(userId, -1),
      ],
      () => new ConditionFailed(),
    );
  } catch (e) {
    // Read already, or not the user's (then the read below finds nothing: 404).
    if (!(e instanceof ConditionFailed)) throw e;
  }
  const item = await getItem(NotificationEntity.key(userId, id));
  if (!item) throw new NotFoundError('No such notification');
  return toNotification(item);
};
