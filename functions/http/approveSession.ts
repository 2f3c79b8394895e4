import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { emptyBody, sessionPath, sessionResponse } from '../../shared/schemas/session';
import { approveSession } from '../../shared/usecases/decisions';

export const handler = httpHandler(async ({ caller, path }) => ok(await approveSession(caller, path.sessionId)), {
  route: routes.approveSession,
  path: sessionPath,
  body: emptyBody,
  responses: { 200: sessionResponse },
});
