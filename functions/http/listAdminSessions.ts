import { httpHandler, ok } from '../../shared/http/handler';
import { adminSessionsQuery, sessionListResponse } from '../../shared/schemas/session';
import { listAdminSessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ query }) => ok(await listAdminSessions(query)), {
  route: 'listAdminSessions',
  query: adminSessionsQuery,
  responses: { 200: sessionListResponse },
});
