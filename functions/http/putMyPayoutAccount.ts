import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { payoutAccountBody, payoutAccountResponse } from '../../shared/schemas/payouts';
import { putMyPayoutAccount } from '../../shared/usecases/payout-account';

export const handler = httpHandler(async ({ caller, body }) => ok(await putMyPayoutAccount(caller, body)), {
  route: routes.putMyPayoutAccount,
  body: payoutAccountBody,
  responses: { 200: payoutAccountResponse },
});
