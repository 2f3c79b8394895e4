import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { unsubscribeQuery, unsubscribeResponse } from '../../shared/schemas/email';
import * as z from '../../shared/schemas/zod';
import { emailUnsubscribe } from '../../shared/usecases/preferences';

/**
 * One-click unsubscribe (RFC 8058): the mail client POSTs `List-Unsubscribe=One-Click` to
 * the List-Unsubscribe URL, with no sign-in; the signed token in the URL is the authority.
 * The body (`List-Unsubscribe=One-Click`, form-encoded) says nothing more, so it is not parsed.
 */
export const handler = httpHandler(async ({ query }) => ok(await emailUnsubscribe(query.token)), {
  route: routes.emailUnsubscribe,
  query: unsubscribeQuery,
  responses: { 200: unsubscribeResponse },
  rawBody: { body: z.optional(z.string().check(z.describe('`List-Unsubscribe=One-Click`, form-encoded, as RFC 8058 mail clients send it; not read'))) },
});
