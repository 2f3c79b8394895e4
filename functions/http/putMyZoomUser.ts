import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { zoomUserBody, zoomUserLinkResponse } from '../../shared/schemas/zoom-user';
import { putMyZoomUser } from '../../shared/usecases/zoom-user';

/**
 * A tutor links their own Zoom user (the use case checks it with Zoom's users API), or unlinks
 * it with `email: null`: one route rather than a DELETE of its own, a function fewer in a
 * stack close to CloudFormation's resource limit.
 */
export const handler = httpHandler(async ({ caller, body }) => ok(await putMyZoomUser(caller, body.email)), {
  route: routes.putMyZoomUser,
  body: zoomUserBody,
  responses: { 200: zoomUserLinkResponse },
});
