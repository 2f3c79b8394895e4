import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { sessionPageResponse, sessionPath } from '../../shared/schemas/session';
import { getSession } from '../../shared/usecases/session-page';

export const handler = httpHandler(async ({ caller, path }) => ok(await getSession(caller, path.sessionId)), {
  route: routes.getSession,
  path: sessionPath,
  responses: { 200: sessionPageResponse },
});
