/**
 * Notifying, the one way every producer tells a user something. The notification is
 * stored in the user's inbox (the durable record), once per producer event even when the
 * producer is retried (a dedupe marker in the same transaction). Storing is all a producer
 * does: the table stream hands each new inbox item to functions/streams/pushNotifications.ts,
 * which pushes it (./push.ts) to every WebSocket connection the user has open, off the
 * producer's path. A failure to notify never fails the business operation that caused it.
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import {
  accountNotificationContent,
  notificationContent,
  type AccountNotificationEvent,
  type Notification,
  type NotificationFacts,
  type SessionNotificationEvent,
} from '../domain/notifications';
import type { Session } from '../domain/session';
import { notificationWrites, putNotification } from '../data/notifications';
import type { TransactItem } from '../data/transact';
import { logger } from '../observability/logger';

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
