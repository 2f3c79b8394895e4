import { created, httpHandler } from '../../shared/http/handler';
import { withdrawalBody, withdrawalResponse } from '../../shared/schemas/payouts';
import { withdraw } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller, body }) => created(await withdraw(caller, body.amount)), {
  route: 'createWithdrawal',
  body: withdrawalBody,
  responses: { 201: withdrawalResponse },
});
