import { httpHandler, ok } from '../../shared/http/handler';
import { adminRefundsQuery } from '../../shared/schemas/session';
import { listAdminRefunds } from '../../shared/usecases/dashboards';
import { adminRefundsResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ query }) => ok(await listAdminRefunds(query)), {
  route: 'listAdminRefunds',
  query: adminRefundsQuery,
  responses: { 200: adminRefundsResponse },
});
