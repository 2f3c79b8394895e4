import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { adminWithdrawalResponse, withdrawalIdPath } from '../../shared/schemas/payouts';
import { emptyBody } from '../../shared/schemas/decision';
import { retryWithdrawal } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ path }) => ok(await retryWithdrawal(path.withdrawalId)), {
  route: routes.retryWithdrawal,
  path: withdrawalIdPath,
  body: emptyBody,
  responses: { 200: adminWithdrawalResponse },
});
