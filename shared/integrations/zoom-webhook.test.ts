/**
 * Zoom's webhook signature (v0, HMAC-SHA256 over `v0:<timestamp>:<raw body>`), its replay
 * window, the URL validation answer, and where the token comes from.
 */
import { createHmac } from 'node:crypto';
import {
  createWebhookSecretTokenProvider,
  signZoomWebhook,
  verifyZoomWebhookSignature,
  webhookSecretTokenFromSecretString,
  ZOOM_WEBHOOK_TOLERANCE_MS,
  zoomUrlValidationAnswer,
} from './zoom-webhook';

const SECRET = 'test_webhook_token';
const NOW = Date.parse('2026-11-24T10:15:30Z');
const TS = String(NOW / 1000);
const BODY = '{"event":"recording.completed","event_ts":1795515329812,"payload":{"object":{"id":81234567890}}}';

/** What Zoom documents, computed independently of the module under test. */
const zoomSignature = (timestamp: string, body: string, secret = SECRET) => `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const check = (over: Partial<Parameters<typeof verifyZoomWebhookSignature>[0]> = {}) =>
  verifyZoomWebhookSignature({ rawBody: BODY, signature: zoomSignature(TS, BODY), timestamp: TS, secret: SECRET, nowMs: NOW, ...over });

describe('verifyZoomWebhookSignature', () => {
  it('accepts Zoom’s signature over the exact bytes, as a string or a Buffer', () => {
    expect(check()).toBe('valid');
    expect(check({ rawBody: Buffer.from(BODY) })).toBe('valid');
    expect(signZoomWebhook(TS, BODY, SECRET)).toBe(zoomSignature(TS, BODY));
  });

  it('refuses a missing signature or timestamp, and repeated headers', () => {
    expect(check({ signature: undefined })).toBe('invalid-signature');
    expect(check({ signature: null })).toBe('invalid-signature');
    expect(check({ signature: '' })).toBe('invalid-signature');
    expect(check({ timestamp: undefined })).toBe('invalid-signature');
    expect(check({ signature: [zoomSignature(TS, BODY), zoomSignature(TS, BODY)] })).toBe('invalid-signature');
  });

  it.each([
    ['another secret', zoomSignature(TS, BODY, 'someone-else')],
    ['no v0= prefix', zoomSignature(TS, BODY).slice(3)],
    ['v1=', zoomSignature(TS, BODY).replace('v0=', 'v1=')],
    ['a truncated digest', zoomSignature(TS, BODY).slice(0, -2)],
    ['not hex', `v0=${'z'.repeat(64)}`],
    ['the HMAC of the body alone', `v0=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`],
  ])('refuses a bad signature: %s', (_what, signature) => {
    expect(check({ signature })).toBe('invalid-signature');
  });

  it('refuses a body with one byte changed, and a signature with one digit changed', () => {
    const tampered = BODY.replace('81234567890', '81234567891');
    expect(check({ rawBody: tampered })).toBe('invalid-signature');
    const sig = zoomSignature(TS, BODY);
    const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
    expect(check({ signature: flipped })).toBe('invalid-signature');
  });

  it('refuses the right signature with another timestamp header (the timestamp is signed)', () => {
    expect(check({ timestamp: String(Number(TS) + 1) })).toBe('invalid-signature');
    expect(check({ timestamp: `${TS}.0` })).toBe('invalid-signature');
  });

  it('refuses without a secret, whatever is sent', () => {
    expect(check({ secret: '', signature: zoomSignature(TS, BODY, '') })).toBe('invalid-signature');
  });

  it('calls a correctly signed request stale when its timestamp is more than 5 minutes from the clock, either way', () => {
    const at = (offsetMs: number) => {
      const timestamp = String((NOW + offsetMs) / 1000);
      return check({ timestamp, signature: zoomSignature(timestamp, BODY) });
    };
    expect(ZOOM_WEBHOOK_TOLERANCE_MS).toBe(300_000);
    expect(at(-300_000)).toBe('valid');
    expect(at(300_000)).toBe('valid');
    expect(at(-301_000)).toBe('stale');
    expect(at(301_000)).toBe('stale');
    expect(at(-86_400_000)).toBe('stale');
  });

  it('checks the signature before the age: a forged stale request is invalid, not stale', () => {
    const old = String(NOW / 1000 - 3600);
    expect(check({ timestamp: old, signature: zoomSignature(old, BODY, 'forger') })).toBe('invalid-signature');
  });
});

describe('zoomUrlValidationAnswer', () => {
  it('echoes plainToken with its HMAC-SHA256 (hex) keyed with the secret token', () => {
    expect(zoomUrlValidationAnswer('qgg8vlvZRS6UYooatFL8Aw', SECRET)).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
  });
});

describe('The webhook secret token', () => {
  it('is the Zoom secret’s webhookSecretToken field', () => {
    expect(webhookSecretTokenFromSecretString(JSON.stringify({ accountId: 'a', clientId: 'c', clientSecret: 's', webhookSecretToken: 'wst' }))).toBe('wst');
    expect(() => webhookSecretTokenFromSecretString('{"accountId":"a","clientId":"c","clientSecret":"s"}')).toThrow(/webhookSecretToken/);
    expect(() => webhookSecretTokenFromSecretString('{"webhookSecretToken":""}')).toThrow(/webhookSecretToken/);
    expect(() => webhookSecretTokenFromSecretString('wst')).toThrow(/not JSON/);
  });

  describe('provider', () => {
    const saved = { token: process.env.ZOOM_WEBHOOK_SECRET_TOKEN, arn: process.env.ZOOM_SECRET_ARN };
    afterEach(() => {
      for (const [name, value] of [
        ['ZOOM_WEBHOOK_SECRET_TOKEN', saved.token],
        ['ZOOM_SECRET_ARN', saved.arn],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('takes ZOOM_WEBHOOK_SECRET_TOKEN when set, without reading the secret', async () => {
      process.env.ZOOM_WEBHOOK_SECRET_TOKEN = 'from-env';
      process.env.ZOOM_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:zoom';
      const load = jest.fn(async () => 'from-secret');
      await expect(createWebhookSecretTokenProvider(load)()).resolves.toBe('from-env');
      expect(load).not.toHaveBeenCalled();
    });

    it('else reads the Zoom secret (through the cached secret reader)', async () => {
      delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
      process.env.ZOOM_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:zoom';
      const load = jest.fn(async () => 'from-secret');
      const provider = createWebhookSecretTokenProvider(load);
      expect(await provider()).toBe('from-secret');
      expect(load).toHaveBeenCalledWith(process.env.ZOOM_SECRET_ARN);
    });

    it('fails without either', async () => {
      delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
      delete process.env.ZOOM_SECRET_ARN;
      await expect(async () => createWebhookSecretTokenProvider(async () => 'x')()).rejects.toThrow(/ZOOM_WEBHOOK_SECRET_TOKEN/);
    });
  });
});
