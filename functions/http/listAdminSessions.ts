import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { adminSessionsQuery, sessionListResponse } from '../../shared/schemas/session';
import { listAdminSessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ query }) => ok(await listAdminSessions(query)), {
  route: routes.listAdminSessions,
  query: adminSessionsQuery,
  responses: { 200: sessionListResponse },
});
