import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { adminRefundsQuery } from '../../shared/schemas/session';
import { listAdminRefunds } from '../../shared/usecases/admin-refunds';
import { adminRefundsResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ query }) => ok(await listAdminRefunds(query)), {
  route: routes.listAdminRefunds,
  query: adminRefundsQuery,
  responses: { 200: adminRefundsResponse },
});
