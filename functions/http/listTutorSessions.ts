import { httpHandler, ok } from '../../shared/http/handler';
import { tutorSessionListResponse, tutorSessionsQuery } from '../../shared/schemas/session';
import { tutorDashboard } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await tutorDashboard(caller, query)), {
  route: 'listTutorSessions',
  query: tutorSessionsQuery,
  responses: { 200: tutorSessionListResponse },
});
