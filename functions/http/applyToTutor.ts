import { created, httpHandler } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { tutorApplicationBody, tutorApplicationResponse } from '../../shared/schemas/identity';
import { applyToTutor } from '../../shared/usecases/identity';

/** 201 with the application, also for a retry that sent the same profile (it finds the one it made). */
export const handler = httpHandler(async ({ caller, body }) => created((await applyToTutor(caller, body)).application), {
  route: routes.applyToTutor,
  body: tutorApplicationBody,
  responses: { 201: tutorApplicationResponse },
});
