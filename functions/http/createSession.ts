import { created, httpHandler } from '../../shared/http/handler';
import { bookingResponse, createSessionBody } from '../../shared/schemas/session';
import { bookSession } from '../../shared/usecases/sessions';

export const handler = httpHandler(async ({ caller, body }) => created(await bookSession(caller, body)), {
  route: 'createSession',
  body: createSessionBody,
  responses: { 201: bookingResponse },
});
