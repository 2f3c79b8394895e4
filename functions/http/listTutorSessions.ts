import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { tutorSessionListResponse, tutorSessionsQuery } from '../../shared/schemas/session';
import { listTutorSessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await listTutorSessions(caller, query)), {
  route: routes.listTutorSessions,
  query: tutorSessionsQuery,
  responses: { 200: tutorSessionListResponse },
});
