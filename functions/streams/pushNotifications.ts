import { streamHandler } from '../../shared/streams/handler';
import { pushStoredNotification } from '../../shared/usecases/push';

/**
 * A notification just stored in an inbox: pushed to the user's open WebSocket connections,
 * unless it was stored read (told to the user who made the change: their tab knows already).
 */
export const handler = streamHandler('pushNotifications', async (item) => {
  await pushStoredNotification(item);
});
