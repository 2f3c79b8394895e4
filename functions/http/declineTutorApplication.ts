import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { declineTutorApplicationBody, tutorApplicationPath, tutorApplicationResponse } from '../../shared/schemas/identity';
import { declineTutorApplication } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller, path, body }) => ok(await declineTutorApplication(caller, path.userId, body.reason)), {
  route: routes.declineTutorApplication,
  path: tutorApplicationPath,
  body: declineTutorApplicationBody,
  responses: { 200: tutorApplicationResponse },
});
