import { httpHandler, ok } from '../../shared/http/handler';
import { sessionPath } from '../../shared/schemas/session';
import { listRecordings } from '../../shared/usecases/meetings';

/** The session's cloud recordings, for its participants and admins (from Zoom, on each call). */
export const handler = httpHandler(async ({ caller, path }) => ok(await listRecordings(caller, path.sessionId)), {
  path: sessionPath,
});
