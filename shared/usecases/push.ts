/**
 * Pushing a stored notification to the user's open WebSocket connections (the table stream's
 * pushNotifications consumer). Apart from ./notify.ts, which only stores notifications, so that
 * the producers (every write route) neither bundle nor load the API Gateway management client.
 */
import { notificationFrame, type Notification } from '../domain/notifications';
import { notificationFromItem } from '../data/notifications';
import { deleteConnection, listUserConnections } from '../data/connections';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { postToConnection, pushEndpoint, PUSH_TIMEOUT_MS } from '../integrations/websocket';

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
