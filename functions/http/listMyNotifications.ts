import * as z from 'zod';
import { httpHandler, ok } from '../../shared/http/handler';
import { pageQuery } from '../../shared/schemas/common';
import { myInbox } from '../../shared/usecases/inbox';

export const handler = httpHandler(async ({ caller, query }) => ok(await myInbox(caller, query)), {
  query: z.object(pageQuery).strict(),
});
