import { httpHandler, ok } from '../../shared/http/handler';
import { tutorApplicationPath, tutorApplicationResponse } from '../../shared/schemas/identity';
import { emptyBody } from '../../shared/schemas/session';
import { approveTutorApplication } from '../../shared/usecases/identity';

export const handler = httpHandler(async ({ caller, path }) => ok(await approveTutorApplication(caller, path.userId)), {
  route: 'approveTutorApplication',
  path: tutorApplicationPath,
  body: emptyBody,
  responses: { 200: tutorApplicationResponse },
});
