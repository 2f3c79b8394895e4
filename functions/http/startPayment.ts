import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { emptyBody, paymentResponse, sessionPath } from '../../shared/schemas/session';
import { startPayment } from '../../shared/usecases/checkout';

export const handler = httpHandler(async ({ caller, path }) => ok(await startPayment(caller, path.sessionId)), {
  route: routes.startPayment,
  path: sessionPath,
  body: emptyBody,
  responses: { 200: paymentResponse },
});
