import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { preferencesResponse, putPreferencesBody } from '../../shared/schemas/email';
import { putMyPreferences } from '../../shared/usecases/preferences';

export const handler = httpHandler(async ({ caller, body }) => ok(await putMyPreferences(caller, body)), {
  route: routes.putMyPreferences,
  body: putPreferencesBody,
  responses: { 200: preferencesResponse },
});
