import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { meetingUrlBody, sessionPath, sessionResponse } from '../../shared/schemas/session';
import { setMeetingUrl } from '../../shared/usecases/meeting-link';

/** The tutor's own meeting link (https only); the use case checks it is the session's tutor. */
export const handler = httpHandler(async ({ caller, path, body }) => ok(await setMeetingUrl(caller, path.sessionId, body.meetingUrl)), {
  route: routes.setMeetingUrl,
  path: sessionPath,
  body: meetingUrlBody,
  responses: { 200: sessionResponse },
});
