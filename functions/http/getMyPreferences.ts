import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { preferencesResponse } from '../../shared/schemas/email';
import * as z from '../../shared/schemas/zod';
import { getMyPreferences } from '../../shared/usecases/preferences';

export const handler = httpHandler(async ({ caller }) => ok(await getMyPreferences(caller)), {
  route: routes.getMyPreferences,
  query: z.strictObject({}),
  responses: { 200: preferencesResponse },
});
