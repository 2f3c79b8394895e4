import { httpHandler, ok } from '../../shared/http/handler';
import { zoomUserLinkResponse } from '../../shared/schemas/zoom-user';
import { unlinkZoomUser } from '../../shared/usecases/zoom-user';

/** Unlinks the caller's Zoom user (answers the same when none was linked). */
export const handler = httpHandler(async ({ caller }) => ok(await unlinkZoomUser(caller)), { responses: { 200: zoomUserLinkResponse } });
