import { httpHandler, ok } from '../../shared/http/handler';
import { zoomUserBody, zoomUserLinkResponse } from '../../shared/schemas/zoom-user';
import { linkZoomUser } from '../../shared/usecases/zoom-user';

/** A tutor links their own Zoom user; the use case checks it with Zoom's users API. */
export const handler = httpHandler(async ({ caller, body }) => ok(await linkZoomUser(caller, body.email)), {
  body: zoomUserBody,
  responses: { 200: zoomUserLinkResponse },
});
