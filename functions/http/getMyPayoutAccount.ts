import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { payoutAccountResponse } from '../../shared/schemas/payouts';
import { getMyPayoutAccount } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller }) => ok(await getMyPayoutAccount(caller)), {
  route: routes.getMyPayoutAccount,
  responses: { 200: payoutAccountResponse },
});
