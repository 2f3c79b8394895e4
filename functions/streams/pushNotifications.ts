import { notificationFromItem } from '../../shared/data/notifications';
import { pushToUser } from '../../shared/integrations/notifier';
import { streamHandler } from '../../shared/streams/handler';

/**
 * A notification just stored in an inbox: pushed to the user's open WebSocket connections,
 * unless it was stored read (told to the user who made the change: their tab knows already).
 */
export const handler = streamHandler('pushNotifications', async (item) => {
  const n = notificationFromItem(item);
  if (n.readAt) return;
  await pushToUser(n);
});
