import { streamHandler } from '../../shared/streams/handler';
import { emailNotification } from '../../shared/usecases/email';

/** A notification just stored in an inbox: emailed, at most once (shared/usecases/email.ts). */
export const handler = streamHandler('emailNotifications', async (item) => {
  await emailNotification(item);
});
