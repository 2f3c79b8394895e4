import { streamHandler } from '../../shared/streams/handler';
import { pushStoredNotification } from '../../shared/usecases/notify';

/** A notification just stored in an inbox: pushed to the user's open WebSocket connections. */
export const handler = streamHandler('pushNotifications', async (item) => {
  await pushStoredNotification(item);
});
