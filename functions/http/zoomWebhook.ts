import { httpHandler, ok } from '../../shared/http/handler';
import { zoomWebhookEnvelope, zoomWebhookResponse } from '../../shared/schemas/zoom';
import * as z from '../../shared/schemas/zod';
import { receiveZoomWebhook } from '../../shared/usecases/recordings';

/**
 * Zoom's webhook: no JWT; the HMAC-SHA256 in x-zm-signature over the timestamp and the exact
 * raw body is the authentication. Nothing is read or changed before it checks out.
 */
export const handler = httpHandler(
  async ({ event }) => {
    const header = (name: string) => event.headers?.[name];
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    return ok(await receiveZoomWebhook({ rawBody, signature: header('x-zm-signature'), timestamp: header('x-zm-request-timestamp') }));
  },
  {
    auth: false,
    rawBody: {
      body: zoomWebhookEnvelope,
      headers: z.object({
        'x-zm-signature': z.string().check(z.describe('v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the webhook secret token>')),
        'x-zm-request-timestamp': z.string().check(z.describe('Epoch seconds; more than 5 minutes off is refused')),
      }),
    },
    responses: { 200: zoomWebhookResponse },
  },
);
