import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { paystackWebhookEvent, paystackWebhookResponse } from '../../shared/schemas/paystack';
import * as z from '../../shared/schemas/zod';
import { paystackWebhook, verifyPaystackWebhook } from '../../shared/usecases/paystack-webhook';

/**
 * Paystack's webhook: no JWT; the HMAC-SHA512 of the exact raw body is the authentication,
 * checked by the chain before anything is read or changed.
 */
export const handler = httpHandler(async ({ body }) => ok({ received: true, outcome: await paystackWebhook(body) }), {
  route: routes.paystackWebhook,
  body: paystackWebhookEvent,
  signature: {
    headers: z.object({ 'x-paystack-signature': z.string().check(z.describe('HMAC-SHA512 of the raw body keyed with the secret key, 128 hex digits')) }),
    verify: (rawBody, headers) => verifyPaystackWebhook(rawBody, headers),
  },
  responses: { 200: paystackWebhookResponse },
});
