/** PUT /me/zoom-user: a tutor's own Zoom user, which hosts their sessions' meetings (`email: null` unlinks it). */
import { timestamp } from './common';
import * as z from './zod';

export const zoomUserBody = z.strictObject({
  email: z.nullable(z.email().check(z.maxLength(128))).check(z.describe('The email of a user of our Zoom account; null unlinks the one linked')),
});

export const zoomUserLinkResponse = z.strictObject({
  zoomUser: z.nullable(z.strictObject({ zoomUserId: z.string(), email: z.string(), linkedAt: timestamp })),
});
