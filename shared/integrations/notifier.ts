/**
 * The notifier, the one way every producer tells a user something: the notification is
 * stored in the user's inbox (the durable record), once per producer event even when the
 * producer is retried, and pushed to every WebSocket connection the user has open, only by
 * the call that stored it (a retried producer stores and pushes once). A failure to notify
 * (store or push) never fails the business operation that caused it.
 */
import { ulid } from 'ulid';
import { systemClock, type Clock } from '../domain/clock';
import { notificationContent, notificationFrame, type Notification, type NotificationEvent } from '../domain/notifications';
import type { Session } from '../domain/session';
import { putNotification } from '../data/notifications';
import { deleteConnection, listUserConnections } from '../data/connections';
import { postToConnection, pushEndpoint, PUSH_TIMEOUT_MS } from './websocket';

type Recipient = 'student' | 'tutor';

export interface NotifyRequest {
  event: NotificationEvent;
  session: Pick<Session, 'id' | 'title' | 'scheduledAt' | 'price' | 'student' | 'tutor' | 'approvalNotes' | 'studentId' | 'tutorId'>;
  to: Recipient[];
  extra?: Parameters<typeof notificationContent>[2];
  /** Distinguishes two legitimate sends of the same event for one session (e.g. a reminder after a reschedule). */
  occurrence?: string;
}

const log = (level: 'WARN' | 'ERROR', message: string, fields: Record<string, unknown>) =>
  console[level === 'ERROR' ? 'error' : 'warn'](JSON.stringify({ level, message, ...fields }));

/** $connect stores the connection before API Gateway opens it: a 410 this early is no proof it is gone. */
const CONNECTING_GRACE_MS = 10_000;

export interface PushResult {
  sent: number;
  gone: number;
  failed: number;
}

/**
 * Sends the notification to each of the user's open connections, in parallel, each bounded
 * by `timeoutMs`. A connection that is gone (410) is deleted; no failure stops the others,
 * and none is thrown. Without a WebSocket API (no management endpoint), nothing is sent.
 */
export const pushToUser = async (n: Notification, timeoutMs = PUSH_TIMEOUT_MS): Promise<PushResult> => {
  const result: PushResult = { sent: 0, gone: 0, failed: 0 };
  const fields = { event: n.event, sessionId: n.sessionId, userId: n.userId, notificationId: n.id };
  try {
    if (!pushEndpoint()) return result;
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
            log('WARN', 'Gone connection not deleted (its TTL will)', { ...fields, connectionId, error: String(e) }),
          );
        } catch (e) {
          result.failed += 1;
          log('WARN', 'Notification not pushed to a connection', { ...fields, connectionId, error: String(e) });
        }
      }),
    );
  } catch (e) {
    result.failed += 1;
    log('WARN', 'Notification not pushed', { ...fields, error: String(e) });
  }
  return result;
};

export const notify = async (req: NotifyRequest, clock: Clock = systemClock): Promise<void> => {
  const content = notificationContent(req.event, req.session, req.extra);
  await Promise.all(
    req.to.map(async (who) => {
      const userId = who === 'student' ? req.session.studentId : req.session.tutorId;
      const now = clock();
      const n: Notification = { ...content, id: ulid(now.getTime()), userId, createdAt: now.toISOString(), readAt: null };
      let stored: boolean;
      try {
        stored = await putNotification(n, `${req.session.id}#${req.event}#${req.occurrence ?? ''}`);
      } catch (e) {
        log('ERROR', 'Notification not stored', { event: req.event, sessionId: req.session.id, userId, error: String(e) });
        return;
      }
      // A retried producer finds the event stored already: the first call pushed it.
      if (stored) await pushToUser(n);
    }),
  );
};
