import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { hostLinkResponse, sessionPath } from '../../shared/schemas/session';
import { getHostLink } from '../../shared/usecases/meetings';

/** A fresh Zoom start link, for the session's tutor only; read from Zoom each time, never stored. */
export const handler = httpHandler(async ({ caller, path }) => ok(await getHostLink(caller, path.sessionId)), {
  route: routes.getHostLink,
  path: sessionPath,
  responses: { 200: hostLinkResponse },
});
