import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { cancelResponse, reasonBody, sessionPath } from '../../shared/schemas/session';
import { cancelSession } from '../../shared/usecases/cancel';

export const handler = httpHandler(async ({ caller, path, body }) => ok(await cancelSession(caller, path.sessionId, body.reason)), {
  route: routes.cancelSession,
  path: sessionPath,
  body: reasonBody,
  responses: { 200: cancelResponse },
});
