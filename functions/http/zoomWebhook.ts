import { httpHandler, ok } from '../../shared/http/handler';
import * as routes from '../../shared/http/routes';
import { zoomWebhookEnvelope, zoomWebhookResponse } from '../../shared/schemas/zoom';
import * as z from '../../shared/schemas/zod';
import { defaultRecordingDeps, verifyZoomWebhook, zoomWebhook, type RecordingDeps } from '../../shared/usecases/recordings';

/**
 * Zoom's webhook: no JWT; the HMAC-SHA256 in x-zm-signature over the timestamp and the exact
 * raw body is the authentication, checked by the chain before anything is read or changed.
 * Built from the use case's dependencies, so a test can bring its own clock and secret.
 */
export const zoomWebhookHandler = (deps: RecordingDeps = defaultRecordingDeps) =>
  httpHandler(async ({ body }) => ok(await zoomWebhook(body, deps)), {
    route: routes.zoomWebhook,
    body: zoomWebhookEnvelope,
    signature: {
      headers: z.object({
        'x-zm-signature': z.string().check(z.describe('v0=<hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" with the webhook secret token>')),
        'x-zm-request-timestamp': z.string().check(z.describe('Epoch seconds; more than 5 minutes off is refused')),
      }),
      verify: (rawBody, headers) => verifyZoomWebhook(rawBody, headers, deps),
    },
    responses: { 200: zoomWebhookResponse },
  });

export const handler = zoomWebhookHandler();
