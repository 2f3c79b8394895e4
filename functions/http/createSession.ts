import { created, httpHandler } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { bookingResponse, createSessionBody } from '../../shared/schemas/session';
import { createSession } from '../../shared/usecases/sessions';

export const handler = httpHandler(async ({ caller, body }) => created(await createSession(caller, body)), {
  route: routes.createSession,
  body: createSessionBody,
  responses: { 201: bookingResponse },
});
