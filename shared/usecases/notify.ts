/**
 * Notifying, the one way every producer tells a user something. The notification is
 * stored in the user's inbox (the durable record), once per producer event even when the
 * producer is retried (a dedupe marker in the same transaction). Storing is all a producer
 * does: the table stream hands each new inbox item to functions/streams/pushNotifications.ts,
 * which pushes it (`pushToUser`) to every WebSocket connection the user has open, off the
 * producer's path. A failure to notify never fails the business operation that caused it.
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import {
  accountNotificationContent,
  notificationContent,
  notificationFrame,
  type AccountNotificationEvent,
  type Notification,
  type NotificationFacts,
  type SessionNotificationEvent,
} from '../domain/notifications';
import type { Session } from '../domain/session';
import { notificationFromItem, notificationWrites, putNotification } from '../data/notifications';
import { deleteConnection, listUserConnections } from '../data/connections';
import type { TransactItem } from '../data/transact';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { postToConnection, pushEndpoint, PUSH_TIMEOUT_MS } from '../integrations/websocket';

type Recipient = 'student' | 'tutor';

export interface NotifyRequest {
  event: SessionNotificationEvent;
  session: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'price' | 'student' | 'tutor' | 'approvalNotes' | 'studentId' | 'tutorId'>;
  to: Recipient[];
  extra?: Parameters<typeof notificationContent>[2];
  /** Distinguishes two legitimate sends of the same event for one session (e.g. a reminder after a reschedule). */
  occurrence?: string;
  /** Which reminder this is (kept in the facts the email reads). */
  lead?: string;
  /**
   * Recipients who made the change themselves: their notification is stored read (it counts
   * for no unread badge and is not pushed: their own tab knows already) and still emailed,
   * so that the invite in their calendar is updated or cancelled too.
   */
  seenBy?: Recipient[];
}

/** What storing a request writes for one recipient. */
export interface InboxEntry {
  notification: Notification;
  /** Same producer event, same key: the entry is stored once. */
  dedupeKey: string;
  facts: NotificationFacts;
}

/** The facts an email of the request needs (shared/usecases/email.ts), as things stand now. */
const factsOf = (req: NotifyRequest): NotificationFacts => {
  const version = (req.session as { version?: unknown }).version;
  return {
    scheduledAt: req.session.scheduledAt,
    ...(req.extra?.previousScheduledAt ? { previousScheduledAt: req.extra.previousScheduledAt } : {}),
    ...(req.extra?.reason ? { reason: req.extra.reason } : {}),
    ...(req.extra?.refund ? { refund: req.extra.refund } : {}),
    ...(typeof version === 'number' ? { version } : {}),
    ...(req.lead ? { lead: req.lead } : {}),
  };
};

export const inboxEntries = (req: NotifyRequest, clock: Clock = systemClock): InboxEntry[] => {
  const content = notificationContent(req.event, req.session, req.extra);
  return req.to.map((who) => {
    const now = clock();
    const userId = who === 'student' ? req.session.studentId : req.session.tutorId;
    return {
      notification: { ...content, id: ulid(now.getTime()), userId, createdAt: now.toISOString(), readAt: req.seenBy?.includes(who) ? now.toISOString() : null },
      dedupeKey: `${req.session.id}#${req.event}#${req.occurrence ?? ''}`,
      facts: factsOf(req),
    };
  });
};

/**
 * The transaction items that store the request's notifications, for a producer that writes
 * them with the change they tell of (one transaction: the change and its notice together).
 */
export const inboxWrites = (req: NotifyRequest, clock: Clock = systemClock): TransactItem[] =>
  inboxEntries(req, clock).flatMap((e) => notificationWrites(e.notification, e.dedupeKey, e.facts));

/**
 * The transaction items that store an account notification (no session) for one user with the
 * change it tells of; `dedupeKey` names the change, so the same change is told once.
 */
export const accountInboxWrites = (
  userId: string,
  event: AccountNotificationEvent,
  dedupeKey: string,
  extra: Parameters<typeof accountNotificationContent>[1] = {},
  clock: Clock = systemClock,
): TransactItem[] => {
  const now = clock();
  const notification: Notification = { ...accountNotificationContent(event, extra), id: ulid(now.getTime()), userId, createdAt: now.toISOString(), readAt: null };
  return notificationWrites(notification, `${event}#${dedupeKey}`);
};

/** Stores the request's notifications, each in a transaction of its own; errors are logged, never thrown. */
export const notify = async (req: NotifyRequest, clock: Clock = systemClock): Promise<void> => {
  await Promise.all(
    inboxEntries(req, clock).map(async ({ notification: n, dedupeKey, facts }) => {
      try {
        await putNotification(n, dedupeKey, facts);
      } catch (e) {
        logger.error('Notification not stored', { event: req.event, sessionId: req.session.id, userId: n.userId, error: e as Error });
      }
    }),
  );
};

/** $connect stores the connection before API Gateway opens it: a 410 this early is no proof it is gone. */
const CONNECTING_GRACE_MS = 10_000;

export interface PushResult {
  sent: number;
  gone: number;
  failed: number;
}

/**
 * Sends the notification to each of the user's open connections, in parallel, each bounded
 * by `timeoutMs`. A connection that is gone (410) is deleted; no failure of one connection
 * stops the others, and none is thrown. Without a WebSocket API (no management endpoint),
 * nothing is sent. Only reading the user's connections may throw (the stream retries it).
 */
export const pushToUser = async (n: Notification, timeoutMs = PUSH_TIMEOUT_MS): Promise<PushResult> => {
  const result: PushResult = { sent: 0, gone: 0, failed: 0 };
  if (!pushEndpoint()) return result;
  const fields = { event: n.event, sessionId: n.sessionId, userId: n.userId, notificationId: n.id };
  const connections = await listUserConnections(n.userId);
  const frame = notificationFrame(n);
  await Promise.all(
    connections.map(async ({ connectionId, connectedAt }) => {
      try {
        if ((await postToConnection(connectionId, frame, timeoutMs)) !== 'gone') {
          result.sent += 1;
          return;
        }
        result.gone += 1;
        // Stored by $connect a moment ago: API Gateway may not have finished opening it yet.
        if (Date.now() - Date.parse(connectedAt) < CONNECTING_GRACE_MS) return;
        await deleteConnection(n.userId, connectionId).catch((e: unknown) =>
          logger.warn('Gone connection not deleted (its TTL will)', { ...fields, connectionId, error: e as Error }),
        );
      } catch (e) {
        result.failed += 1;
        logger.warn('Notification not pushed to a connection', { ...fields, connectionId, error: e as Error });
      }
    }),
  );
  if (result.sent > 0) count('NotificationsPushed', result.sent);
  if (result.gone > 0) count('NotificationsGone', result.gone);
  return result;
};

/** A notification as the table stream delivers its new inbox item: pushed to the user's open connections. */
export const pushStoredNotification = async (item: Record<string, unknown>): Promise<PushResult | undefined> => {
  const n = notificationFromItem(item);
  // Stored read: the one who made the change (their own tab already shows it); emailed only.
  if (n.readAt) return undefined;
  return pushToUser(n);
};
