import * as z from 'zod';
import { httpHandler, ok } from '../../shared/http/handler';
import { pageQuery } from '../../shared/schemas/common';
import { myWallet } from '../../shared/usecases/dashboards';

export const handler = httpHandler(async ({ caller, query }) => ok(await myWallet(caller, query)), {
  roles: ['tutor'],
  query: z.object(pageQuery).strict(),
});
