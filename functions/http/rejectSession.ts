import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { reasonBody, sessionPath, sessionResponse } from '../../shared/schemas/session';
import { rejectSession } from '../../shared/usecases/decisions';

export const handler = httpHandler(async ({ caller, path, body }) => ok(await rejectSession(caller, path.sessionId, body.reason)), {
  route: routes.rejectSession,
  path: sessionPath,
  body: reasonBody,
  responses: { 200: sessionResponse },
});
