import { httpHandler, ok } from '../../shared/http/handler';
import { payoutAccountResponse } from '../../shared/schemas/payouts';
import { getMyPayoutAccount } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller }) => ok(await getMyPayoutAccount(caller)), {
  route: 'getMyPayoutAccount',
  responses: { 200: payoutAccountResponse },
});
