import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { pageQuery } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { listMyNotifications } from '../../shared/usecases/inbox';
import { notificationListResponse } from '../../shared/schemas/notifications';

export const handler = httpHandler(async ({ caller, query }) => ok(await listMyNotifications(caller, query)), {
  route: routes.listMyNotifications,
  query: z.strictObject(pageQuery),
  responses: { 200: notificationListResponse },
});
