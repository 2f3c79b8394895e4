import { httpHandler, ok } from '../../shared/http/handler';
import { payoutAccountResponse } from '../../shared/schemas/payouts';
import { getPayoutAccount } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller }) => ok(await getPayoutAccount(caller)), {
  route: 'getMyPayoutAccount',
  responses: { 200: payoutAccountResponse },
});
