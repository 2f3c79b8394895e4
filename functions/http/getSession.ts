import { httpHandler, ok } from '../../shared/http/handler';
import { sessionPageResponse, sessionPath } from '../../shared/schemas/session';
import { getSession } from '../../shared/usecases/session-page';

export const handler = httpHandler(async ({ caller, path }) => ok(await getSession(caller, path.sessionId)), {
  route: 'getSession',
  path: sessionPath,
  responses: { 200: sessionPageResponse },
});
