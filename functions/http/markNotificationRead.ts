import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { notificationId } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { markNotificationRead } from '../../shared/usecases/inbox';
import { notificationResponse } from '../../shared/schemas/notifications';

export const handler = httpHandler(async ({ caller, path }) => ok(await markNotificationRead(caller, path.notificationId)), {
  route: routes.markNotificationRead,
  path: z.strictObject({ notificationId }),
  responses: { 200: notificationResponse },
});
