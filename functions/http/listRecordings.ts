import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { recordingsResponse, sessionPath } from '../../shared/schemas/session';
import { listRecordings } from '../../shared/usecases/recordings';

/** The session's cloud recordings, for its participants and admins: as Zoom's recording.completed webhook stored them. */
export const handler = httpHandler(async ({ caller, path }) => ok(await listRecordings(caller, path.sessionId)), {
  route: routes.listRecordings,
  path: sessionPath,
  responses: { 200: recordingsResponse },
});
