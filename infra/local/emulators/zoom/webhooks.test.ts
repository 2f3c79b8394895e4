/**
 * The emulator's webhooks, received by a plain HTTP server: the control endpoint sends a
 * meeting's recording.completed signed as Zoom signs it, in the shape our schema reads, and
 * sends the same event again when asked again (a Zoom retry).
 */
import { createServer, type Server } from 'node:http';
import { httpOrigin, listen, readBody } from '../../ports';
import { verifyZoomWebhookSignature } from '../../../../shared/integrations/zoom-webhook';
import { tokenResponse, zoomMeeting, zoomRecordingCompletedEvent, type CreateMeetingRequest } from '../../../../shared/schemas/zoom';
import { startZoomEmulator, ZOOM_FAULTS, type ZoomEmulator, type ZoomEmulatorOptions } from './emulator';
import { LOCAL_ZOOM_CREDENTIALS, LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN, startLocalZoom } from './local';

const CREDS = { accountId: 'acct-hook', clientId: 'client-hook', clientSecret: 'secret-hook' };
const TOKEN = 'emulator_webhook_token';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

/** A webhook receiver answering `status`, recording what it got. */
const receiver = async (status = 200) => {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req, 1024 * 1024).then((body) => {
      received.push({ headers: req.headers, raw: body.toString('utf8') });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true }));
    });
  });
  const address = await listen(server, 0, '127.0.0.1');
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `${httpOrigin(address)}/webhooks/zoom`, received };
};

const emulator = async (over: Partial<ZoomEmulatorOptions> = {}): Promise<ZoomEmulator> => {
  const e = await startZoomEmulator({ ...CREDS, log: false, webhookSecretToken: TOKEN, ...over });
  cleanups.push(() => e.stop());
  return e;
};

const meetingRequest: CreateMeetingRequest = {
  topic: 'Hooked [01JTESTSESSION0000000000000]',
  type: 2,
  start_time: '2026-12-01T10:00:00Z',
  duration: 45,
  settings: { auto_recording: 'cloud', host_video: true, waiting_room: false, join_before_host: false },
};

/** A meeting created through the emulator's API, as our client creates one. */
const createMeeting = async (e: ZoomEmulator, creds: typeof CREDS = CREDS) => {
  const basic = `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`;
  const tokenRes = await fetch(`${e.oauthUrl}?grant_type=account_credentials&account_id=${creds.accountId}`, { method: 'POST', headers: { authorization: basic } });
  const { access_token } = tokenResponse.parse(await tokenRes.json());
  const res = await fetch(`${e.url}/users/me/meetings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify(meetingRequest),
  });
  return zoomMeeting.parse(await res.json());
};

const control = (e: ZoomEmulator, meetingId: string) =>
  fetch(`${e.url.replace(/\/v2$/, '')}/_emulator/meetings/${meetingId}/recording-completed`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('POST /_emulator/meetings/{meetingId}/recording-completed', () => {
  it('delivers the meeting’s recording.completed, signed with the webhook token, in the shape our schema reads', async () => {
    const hook = await receiver();
    const e = await emulator({ webhookUrl: hook.url });
    const m = await createMeeting(e);

    const res = await control(e, m.id);
    expect(res).toEqual({ status: 200, body: { delivered: true, status: 200, response: { received: true } } });
    expect(hook.received).toHaveLength(1);
    const [got] = hook.received;
    expect(got!.headers['content-type']).toMatch(/^application\/json/);
    const timestamp = got!.headers['x-zm-request-timestamp'] as string;
    expect(Math.abs(Number(timestamp) * 1000 - Date.now())).toBeLessThan(60_000);
    expect(verifyZoomWebhookSignature({ rawBody: got!.raw, signature: got!.headers['x-zm-signature'], timestamp, secret: TOKEN, nowMs: Date.now() })).toBe('valid');

    const event = zoomRecordingCompletedEvent.parse(JSON.parse(got!.raw));
    const files = e.meetings.get(m.id)!.recordings;
    expect(files.length).toBeGreaterThan(0);
    expect(event.payload.object).toMatchObject({ id: m.id, uuid: m.uuid, topic: meetingRequest.topic, duration: 45, password: m.password });
    expect(event.payload.object.recording_files.map((f) => [f.id, f.play_url, f.download_url])).toEqual(files.map((f) => [f.id, f.playUrl, f.downloadUrl]));
    expect(event.payload.account_id).toBe(CREDS.accountId);
    expect(event.download_token).toEqual(expect.any(String));
    expect(e.webhookDeliveries).toEqual([expect.objectContaining({ event: 'recording.completed', meetingId: m.id, delivered: true, status: 200 })]);
  });

  it('sends the same event again when asked again, freshly signed, as Zoom’s retries do', async () => {
    const hook = await receiver();
    const e = await emulator({ webhookUrl: hook.url });
    const m = await createMeeting(e);
    await control(e, m.id);
    await control(e, m.id);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.raw).toBe(hook.received[0]!.raw);
    expect(e.meetings.get(m.id)!.recordings).toHaveLength(2); // video and audio, added once
  });

  it('reports what the receiver answered, works while Zoom faults are on, and is 404 for an unknown meeting', async () => {
    const hook = await receiver(401);
    const faults = new Set<string>();
    const e = await emulator({ webhookUrl: hook.url, faults });
    const m = await createMeeting(e);
    faults.add(ZOOM_FAULTS.all);
    expect((await control(e, m.id)).body).toMatchObject({ delivered: false, status: 401 });
    const unknown = await control(e, '89999999999');
    expect(unknown).toEqual({ status: 404, body: { code: 3001, message: expect.stringContaining('89999999999') } });
  });

  it('sends nothing without a webhook URL', async () => {
    const e = await emulator();
    const m = await createMeeting(e);
    expect((await control(e, m.id)).body).toEqual({ delivered: false, status: expect.stringContaining('webhookUrl') });
  });
});

describe('startLocalZoom’s webhooks', () => {
  const saved = process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
  afterEach(() => {
    if (saved === undefined) delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
    else process.env.ZOOM_WEBHOOK_SECRET_TOKEN = saved;
  });

  it('signs with ZOOM_WEBHOOK_SECRET_TOKEN, default zoom_webhook_local, which it leaves in the env for the handler', async () => {
    delete process.env.ZOOM_WEBHOOK_SECRET_TOKEN;
    const hook = await receiver();
    const e = (await startLocalZoom({ log: false, webhookUrl: hook.url }))!;
    cleanups.push(() => e.stop());
    expect(process.env.ZOOM_WEBHOOK_SECRET_TOKEN).toBe(LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN);
    const m = await createMeeting(e, LOCAL_ZOOM_CREDENTIALS);
    expect(await e.deliverRecordingCompleted(m.id)).toMatchObject({ delivered: true, status: 200 });
    const [got] = hook.received;
    const timestamp = got!.headers['x-zm-request-timestamp'] as string;
    expect(verifyZoomWebhookSignature({ rawBody: got!.raw, signature: got!.headers['x-zm-signature'], timestamp, secret: 'zoom_webhook_local', nowMs: Date.now() })).toBe('valid');
  });
});
