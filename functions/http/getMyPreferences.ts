import { httpHandler, ok } from '../../shared/http/handler';
import { preferencesResponse } from '../../shared/schemas/email';
import * as z from '../../shared/schemas/zod';
import { getMyPreferences } from '../../shared/usecases/preferences';

export const handler = httpHandler(async ({ caller }) => ok(await getMyPreferences(caller)), {
  route: 'getMyPreferences',
  query: z.strictObject({}),
  responses: { 200: preferencesResponse },
});
