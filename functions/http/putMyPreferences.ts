import { httpHandler, ok } from '../../shared/http/handler';
import { putPreferencesBody } from '../../shared/schemas/email';
import { putMyPreferences } from '../../shared/usecases/preferences';

export const handler = httpHandler(async ({ caller, body }) => ok(await putMyPreferences(caller, body)), { body: putPreferencesBody });
