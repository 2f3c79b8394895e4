import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { rescheduleBody, sessionPath, sessionResponse } from '../../shared/schemas/session';
import { rescheduleSession } from '../../shared/usecases/reschedule';

/** The session's student or tutor moves it (policy: shared/domain/reschedule.ts). */
export const handler = httpHandler(async ({ caller, path, body }) => ok(await rescheduleSession(caller, path.sessionId, body.scheduledAt)), {
  route: routes.rescheduleSession,
  path: sessionPath,
  body: rescheduleBody,
  responses: { 200: sessionResponse },
});
