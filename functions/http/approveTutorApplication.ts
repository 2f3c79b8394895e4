import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { tutorApplicationPath, tutorApplicationResponse } from '../../shared/schemas/identity';
import { emptyBody } from '../../shared/schemas/decision';
import { approveTutorApplication } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller, path }) => ok(await approveTutorApplication(caller, path.userId)), {
  route: routes.approveTutorApplication,
  path: tutorApplicationPath,
  body: emptyBody,
  responses: { 200: tutorApplicationResponse },
});
