/**
 * The emulator holds meeting bodies to Zoom's published rules, not to our client's schemas
 * (what Zoom takes, it takes: a password, settings.audio; what Zoom refuses, it refuses),
 * and plays the paths tests need: a 429 with Retry-After (which our client honours), and
 * Zoom's endpoint.url_validation call (which our webhook handler answers as Zoom requires).
 */
import { createServer, type Server } from 'node:http';
import { createZoomClient, type RetryInfo } from '../../../../shared/integrations/zoom';
import { tokenResponse, zoomErrorBody, zoomMeeting } from '../../../../shared/schemas/zoom';
import { handler as zoomWebhook } from '../../../../functions/http/zoomWebhook';
import { call } from '../../../../test/support/http';
import { httpOrigin, listen, readBody } from '../../ports';
import { startZoomEmulator, type ZoomEmulator, type ZoomEmulatorOptions } from './emulator';

const CREDS = { accountId: 'acct-rules', clientId: 'client-rules', clientSecret: 'secret-rules' };
const WEBHOOK_TOKEN = 'zoom_rules_webhook_token';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});
const emulator = async (over: Partial<ZoomEmulatorOptions> = {}): Promise<ZoomEmulator> => {
  const e = await startZoomEmulator({ ...CREDS, log: false, webhookSecretToken: WEBHOOK_TOKEN, ...over });
  cleanups.push(() => e.stop());
  return e;
};

const bearer = async (e: ZoomEmulator) => {
  const basic = `Basic ${Buffer.from(`${CREDS.clientId}:${CREDS.clientSecret}`).toString('base64')}`;
  const res = await fetch(`${e.oauthUrl}?grant_type=account_credentials&account_id=${CREDS.accountId}`, { method: 'POST', headers: { authorization: basic } });
  return tokenResponse.parse(await res.json()).access_token;
};

const api = async (e: ZoomEmulator, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await bearer(e)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

const ours = {
  topic: 'Rules',
  type: 2,
  start_time: '2026-12-01T10:00:00Z',
  duration: 60,
  settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false },
};

describe('Meeting bodies, by Zoom’s rules', () => {
  it('takes what Zoom takes and our client never sends: a password, settings.audio, a local start time with its zone', async () => {
    const e = await emulator();
    const created = await api(e, 'POST', '/users/me/meetings', {
      ...ours,
      password: 'a1@-_*',
      start_time: '2026-12-01T11:00:00',
      timezone: 'Africa/Lagos',
      settings: { ...ours.settings, audio: 'voip' },
    });
    expect(created.status).toBe(201);
    const m = zoomMeeting.parse(created.body);
    expect(created.body).toMatchObject({ password: 'a1@-_*', settings: { audio: 'voip' } });
    expect((await api(e, 'PATCH', `/meetings/${m.id}`, { password: 'other1', settings: { audio: 'telephony' } })).status).toBe(204);
    expect((await api(e, 'GET', `/meetings/${m.id}`)).body).toMatchObject({ password: 'other1', settings: { audio: 'telephony' } });
  });

  it.each([
    ['a meeting type Zoom does not have', { type: 5 }],
    ['a password longer than 10 characters', { password: 'abcdefghijk' }],
    ['a password with a character Zoom refuses', { password: 'pa ss' }],
    ['an audio setting Zoom does not have', { settings: { audio: 'smoke-signals' } }],
    ['an approval type Zoom does not have', { settings: { approval_type: 7 } }],
    ['a fractional duration', { duration: 30.5 }],
    ['a start time that is not a date-time', { start_time: 'tomorrow' }],
    ['a topic longer than 200 characters', { topic: 'x'.repeat(201) }],
  ])('refuses %s with 400, code 300', async (_name, over) => {
    const e = await emulator();
    const res = await api(e, 'POST', '/users/me/meetings', { ...ours, ...over });
    expect(res.status).toBe(400);
    expect(zoomErrorBody.parse(res.body)).toMatchObject({ code: 300 });
    expect(e.meetings.size).toBe(0);
  });
});

describe('A rate limit', () => {
  it('answers 429 with Retry-After, as Zoom does, for as many calls as told', async () => {
    const e = await emulator();
    const res = await fetch(`${e.url.replace(/\/v2$/, '')}/_emulator/rate-limit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ requests: 1, retryAfterSeconds: 4 }),
    });
    expect(res.status).toBe(200);
    const limited = await api(e, 'GET', '/users/me/meetings?type=scheduled');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect(zoomErrorBody.parse(limited.body)).toMatchObject({ code: 429 });
    expect((await api(e, 'GET', '/users/me/meetings?type=scheduled')).status).toBe(200);
  });

  it('is waited out by our client for as long as Retry-After says, then the call succeeds', async () => {
    const e = await emulator();
    const retries: RetryInfo[] = [];
    const client = createZoomClient({
      apiBaseUrl: e.url,
      oauthUrl: e.oauthUrl,
      credentials: CREDS,
      random: () => 0,
      sleep: async () => undefined,
      onRetry: (info) => retries.push(info),
    });
    e.rateLimit(2, 3);
    const m = await client.createMeeting({ ...ours, type: 2, settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false } });
    expect(m.join_url).toMatch(/^https:/);
    // Without Retry-After the first backoffs would be 0 (random() = 0): these are Zoom's 3 s.
    expect(retries.map((r) => r.delayMs)).toEqual([3000, 3000]);
    expect(e.meetings.size).toBe(1);
  });
});

describe('Zoom’s endpoint.url_validation call', () => {
  /** Our Zoom webhook handler behind a plain HTTP server, as API Gateway would put it. */
  const ourWebhook = async () => {
    const server: Server = createServer((req, res) => {
      void readBody(req, 1024 * 1024).then(async (raw) => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        const answer = await call(zoomWebhook, 'POST /webhooks/zoom', { rawBody: raw.toString('utf8'), headers });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    const address = await listen(server, 0, '127.0.0.1');
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    return `${httpOrigin(address)}/webhooks/zoom`;
  };

  beforeAll(() => {
    process.env.ZOOM_WEBHOOK_SECRET_TOKEN = WEBHOOK_TOKEN;
  });

  it('is answered by our webhook handler with the plainToken and its HMAC, so Zoom would enable the URL', async () => {
    const e = await emulator({ webhookUrl: await ourWebhook() });
    const res = await fetch(`${e.url.replace(/\/v2$/, '')}/_emulator/endpoint-validation`, { method: 'POST' });
    const body = await res.json();
    expect(body).toMatchObject({ validated: true, status: 200, response: { plainToken: expect.any(String), encryptedToken: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it('is not validated by an endpoint that answers without the right encryptedToken', async () => {
    const e = await emulator({ webhookUrl: await ourWebhook(), webhookSecretToken: 'another_token' });
    // Signed with another token: our handler refuses it (401), so Zoom would not enable the URL.
    expect(await e.validateEndpoint()).toMatchObject({ validated: false, status: 401 });
  });
});
