import { httpHandler, ok } from '../../shared/http/handler';
import { adminSessionsQuery, sessionListResponse } from '../../shared/schemas/session';
import { adminSessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ query }) => ok(await adminSessions(query)), {
  route: 'listAdminSessions',
  query: adminSessionsQuery,
  responses: { 200: sessionListResponse },
});
