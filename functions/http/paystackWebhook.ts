import { UnauthorizedError, ValidationError } from '../../shared/domain/errors';
import { httpHandler, ok } from '../../shared/http/handler';
import { paystackSecretKey, verifyWebhookSignature } from '../../shared/integrations/paystack';
import { paystackWebhookEvent, paystackWebhookResponse } from '../../shared/schemas/paystack';
import * as z from '../../shared/schemas/zod';
import { handlePaystackEvent } from '../../shared/usecases/payments';

/**
 * Paystack's webhook: no JWT; the HMAC-SHA512 of the exact raw body is the authentication.
 * Nothing is read or changed before the signature checks out.
 */
export const handler = httpHandler(
  async ({ event }) => {
    const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (!verifyWebhookSignature(raw, event.headers?.['x-paystack-signature'], await paystackSecretKey())) {
      throw new UnauthorizedError('Missing or invalid x-paystack-signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ValidationError('The body is not valid JSON', [{ path: '', message: 'Malformed JSON' }]);
    }
    const parsed = paystackWebhookEvent.safeParse(json);
    if (!parsed.success) {
      throw new ValidationError(
        'Not a Paystack event we understand',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return ok({ received: true, outcome: await handlePaystackEvent(parsed.data) });
  },
  {
    auth: false,
    rawBody: {
      body: paystackWebhookEvent,
      headers: z.object({ 'x-paystack-signature': z.string().check(z.describe('HMAC-SHA512 of the raw body keyed with the secret key, 128 hex digits')) }),
    },
    responses: { 200: paystackWebhookResponse },
  },
);
