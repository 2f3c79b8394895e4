import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { myWithdrawalsQuery, withdrawalsResponse } from '../../shared/schemas/payouts';
import { listMyWithdrawals } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ caller, query }) => ok(await listMyWithdrawals(caller, query)), {
  route: routes.listMyWithdrawals,
  query: myWithdrawalsQuery,
  responses: { 200: withdrawalsResponse },
});
