import { created, httpHandler } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { withdrawalBody, withdrawalResponse } from '../../shared/schemas/payouts';
import { createWithdrawal } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller, body }) => created(await createWithdrawal(caller, body.amount)), {
  route: routes.createWithdrawal,
  body: withdrawalBody,
  responses: { 201: withdrawalResponse },
});
