import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { pageQuery } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { getMyWallet } from '../../shared/usecases/wallet';
import { walletResponse } from '../../shared/schemas/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await getMyWallet(caller, query)), {
  route: routes.getMyWallet,
  query: z.strictObject(pageQuery),
  responses: { 200: walletResponse },
});
