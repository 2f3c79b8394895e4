import { httpHandler, ok } from '../../shared/http/handler';
import { tutorSessionListResponse, tutorSessionsQuery } from '../../shared/schemas/session';
import { listTutorSessions } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await listTutorSessions(caller, query)), {
  route: 'listTutorSessions',
  query: tutorSessionsQuery,
  responses: { 200: tutorSessionListResponse },
});
