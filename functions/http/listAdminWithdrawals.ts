import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { adminWithdrawalsQuery, adminWithdrawalsResponse } from '../../shared/schemas/payouts';
import { listAdminWithdrawals } from '../../shared/usecases/payouts';

export const handler = httpHandler(async ({ query }) => ok(await listAdminWithdrawals(query)), {
  route: routes.listAdminWithdrawals,
  query: adminWithdrawalsQuery,
  responses: { 200: adminWithdrawalsResponse },
});
