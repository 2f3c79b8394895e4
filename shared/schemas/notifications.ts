/** Responses of the inbox routes (shared/usecases/inbox.ts). */
import { NOTIFICATION_EVENTS } from '../domain/notifications';
import { integer, pageOf, timestamp } from './common';
import * as z from './zod';

/** A stored notification: what the WebSocket pushed, with its owner and read state. */
export const notificationResponse = z.strictObject({
  id: z.string(),
  userId: z.string(),
  event: z.enum(NOTIFICATION_EVENTS),
  title: z.string(),
  body: z.string(),
  sessionId: z.optional(z.string().check(z.describe('The session it tells of; absent for account events (an application to tutor answered)'))),
  action: z.strictObject({ label: z.string(), href: z.string().check(z.describe('A page of the web app')) }),
  createdAt: timestamp,
  readAt: z.nullable(timestamp),
});

/** GET /me/notifications: newest first; the unread count on the first page only (null on later ones). */
export const notificationListResponse = z.extend(pageOf(notificationResponse), { unreadCount: z.nullable(integer(z.minimum(0))) });
