import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { banksQuery, banksResponse } from '../../shared/schemas/payouts';
import { listBanks } from '../../shared/usecases/banks';

export const handler = httpHandler(async ({ query }) => ok(await listBanks(query.currency)), { route: routes.listBanks, query: banksQuery, responses: { 200: banksResponse } });
