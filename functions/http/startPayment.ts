import { httpHandler, ok } from '../../shared/http/handler';
import { emptyBody, paymentResponse, sessionPath } from '../../shared/schemas/session';
import { startPayment } from '../../shared/usecases/checkout';

export const handler = httpHandler(async ({ caller, path }) => ok(await startPayment(caller, path.sessionId)), {
  route: 'startPayment',
  path: sessionPath,
  body: emptyBody,
  responses: { 200: paymentResponse },
});
