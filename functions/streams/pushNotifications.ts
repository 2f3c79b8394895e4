import { notificationFromItem } from '../../shared/data/notifications';
import { pushToUser } from '../../shared/integrations/notifier';
import { streamHandler } from '../../shared/streams/handler';

/** A notification just stored in an inbox: pushed to the user's open WebSocket connections. */
export const handler = streamHandler('pushNotifications', async (item) => {
  await pushToUser(notificationFromItem(item));
});
