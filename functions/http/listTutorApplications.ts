import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { adminTutorApplicationsQuery, tutorApplicationListResponse } from '../../shared/schemas/identity';
import { listTutorApplications } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ query }) => ok(await listTutorApplications(query)), {
  route: routes.listTutorApplications,
  query: adminTutorApplicationsQuery,
  responses: { 200: tutorApplicationListResponse },
});
