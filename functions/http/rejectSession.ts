import { httpHandler, ok } from '../../shared/http/handler';
import { reasonBody, sessionPath, sessionResponse } from '../../shared/schemas/session';
import { rejectSession } from '../../shared/usecases/decisions';

export const handler = httpHandler(async ({ caller, path, body }) => ok(await rejectSession(caller, path.sessionId, body.reason)), {
  route: 'rejectSession',
  path: sessionPath,
  body: reasonBody,
  responses: { 200: sessionResponse },
});
