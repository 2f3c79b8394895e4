import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { sessionListResponse, studentSessionsQuery } from '../../shared/schemas/session';
import { listMySessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await listMySessions(caller, query)), {
  route: routes.listMySessions,
  query: studentSessionsQuery,
  responses: { 200: sessionListResponse },
});
