import { httpHandler, ok } from '../../shared/http/handler';
import { preferencesResponse, putPreferencesBody } from '../../shared/schemas/email';
import { putMyPreferences } from '../../shared/usecases/preferences';

export const handler = httpHandler(async ({ caller, body }) => ok(await putMyPreferences(caller, body)), {
  route: 'putMyPreferences',
  body: putPreferencesBody,
  responses: { 200: preferencesResponse },
});
