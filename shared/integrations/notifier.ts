/**
 * The notifier, the one way every producer tells a user something: the notification is
 * stored in the user's inbox (the durable record), once per producer event even when the
 * producer is retried. A failure to notify never fails the business operation that caused it.
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import { notificationContent, type Notification, type NotificationEvent } from '../domain/notifications';
import type { Session } from '../domain/session';
import { putNotification } from '../data/notifications';

type Recipient = 'student' | 'tutor';

export interface NotifyRequest {
  event: NotificationEvent;
  session: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'price' | 'student' | 'tutor' | 'approvalNotes' | 'studentId' | 'tutorId'>;
  to: Recipient[];
  extra?: Parameters<typeof notificationContent>[2];
  /** Distinguishes two legitimate sends of the same event for one session (e.g. a reminder after a reschedule). */
  occurrence?: string;
}

export const notify = async (req: NotifyRequest, clock: Clock = systemClock): Promise<void> => {
  const content = notificationContent(req.event, req.session, req.extra);
  await Promise.all(
    req.to.map(async (who) => {
      const userId = who === 'student' ? req.session.studentId : req.session.tutorId;
      const now = clock();
      const n: Notification = { ...content, id: ulid(now.getTime()), userId, createdAt: now.toISOString(), readAt: null };
      try {
        await putNotification(n, `${req.session.id}#${req.event}#${req.occurrence ?? ''}`);
      } catch (e) {
        console.error(JSON.stringify({ level: 'ERROR', message: 'Notification not stored', event: req.event, sessionId: req.session.id, userId, error: String(e) }));
      }
    }),
  );
};
