/**
 * Zoom's webhooks, as Zoom documents them ("Verify webhook events"): every request carries
 * `x-zm-request-timestamp` (epoch seconds) and `x-zm-signature: v0=<hex>`, the HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>` keyed with the app's webhook Secret Token. The URL validation
 * challenge (`endpoint.url_validation`) is answered with the HMAC-SHA256 (hex) of its
 * `plainToken`, keyed the same way.
 *
 * The token lives in the Zoom secret (field `webhookSecretToken`, next to the OAuth
 * credentials); locally and in tests ZOOM_WEBHOOK_SECRET_TOKEN holds it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { zoomWebhookSecretSource } from '../config';
import { nonEmptyString } from '../schemas/primitives';
import * as z from '../schemas/zod';
import { secretJson, secretProvider, secretReader } from './secrets';

/** How far `x-zm-request-timestamp` may be from our clock, either way: older is a replay, newer a forgery. */
export const ZOOM_WEBHOOK_TOLERANCE_MS = 5 * 60_000;

type RawBody = string | Uint8Array;
type Header = string | readonly string[] | null | undefined;

const hmacHex = (secret: string, ...parts: RawBody[]): string => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** The `x-zm-signature` Zoom sends for `rawBody` at `timestamp` (epoch seconds, as sent). */
export const signZoomWebhook = (timestamp: string, rawBody: RawBody, secret: string): string => `v0=${hmacHex(secret, `v0:${timestamp}:`, rawBody)}`;

const SIGNATURE = /^v0=([0-9a-fA-F]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

export type ZoomWebhookCheck = 'valid' | 'invalid-signature' | 'stale';

/**
 * Checks the headers against the exact bytes received, in constant time. A missing, repeated
 * or malformed header is `invalid-signature`; a correctly signed request whose timestamp is
 * more than ZOOM_WEBHOOK_TOLERANCE_MS from `nowMs` is `stale` (a replay).
 */
export const verifyZoomWebhookSignature = (req: { rawBody: RawBody; signature: Header; timestamp: Header; secret: string; nowMs: number }): ZoomWebhookCheck => {
  const { signature, timestamp, secret } = req;
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp) || !secret) return 'invalid-signature';
  const given = SIGNATURE.exec(signature)?.[1];
  if (!given) return 'invalid-signature';
  const expected = Buffer.from(hmacHex(secret, `v0:${timestamp}:`, req.rawBody), 'hex');
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) return 'invalid-signature';
  return Math.abs(req.nowMs - Number(timestamp) * 1000) > ZOOM_WEBHOOK_TOLERANCE_MS ? 'stale' : 'valid';
};

/** The answer to `endpoint.url_validation`. */
export const zoomUrlValidationAnswer = (plainToken: string, secret: string) => ({ plainToken, encryptedToken: hmacHex(secret, plainToken) });

// ---------------------------------------------------------------- the secret token

const secretShape = z.object({ webhookSecretToken: nonEmptyString });

/** The Zoom secret's SecretString: JSON with `webhookSecretToken` (its other fields are the OAuth credentials). */
export const webhookSecretTokenFromSecretString = (s: string): string => {
  const parsed = secretShape.safeParse(secretJson(s, 'Zoom'));
  if (!parsed.success) throw new Error('The Zoom secret has no "webhookSecretToken" (the Secret Token of the app’s event subscription)');
  return parsed.data.webhookSecretToken;
};

/**
 * ZOOM_WEBHOOK_SECRET_TOKEN when set; else the Zoom secret named by ZOOM_SECRET_ARN, read
 * through the secret reader's cache (./secrets.ts: a rotated token is used within minutes).
 */
export const createWebhookSecretTokenProvider = (load = secretReader('Zoom', webhookSecretTokenFromSecretString)) =>
  secretProvider(() => {
    const source = zoomWebhookSecretSource();
    return 'token' in source ? { value: source.token } : source;
  }, load);

export const zoomWebhookSecretToken: () => Promise<string> = createWebhookSecretTokenProvider();
