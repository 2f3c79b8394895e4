import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { slotsQuery, slotsResponse, tutorPath } from '../../shared/schemas/tutor';
import { listTutorSlots } from '../../shared/usecases/slots';

/** The tutor's free start times for one duration, for anyone signed in. */
export const handler = httpHandler(async ({ path, query }) => ok(await listTutorSlots(path.tutorId, query)), {
  route: routes.listTutorSlots,
  path: tutorPath,
  query: slotsQuery,
  responses: { 200: slotsResponse },
});
