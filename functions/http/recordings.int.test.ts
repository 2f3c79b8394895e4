/**
 * The recordings routes, called as API Gateway calls them, against DynamoDB Local and the Zoom
 * emulator: Zoom's webhook (POST /webhooks/zoom, signed, no JWT) stores a meeting's recordings
 * and GET /sessions/{id}/recordings serves them to the participants and admins, without
 * asking Zoom.
 */
import { handler as zoomWebhook } from './zoomWebhook';
import { handler as paystackWebhook } from './paystackWebhook';
import { handler as listRecordings } from './listRecordings';
import { listNotifications } from '../../shared/data/notifications';
import { listSessionRecordings } from '../../shared/data/recordings';
import { signZoomWebhook } from '../../shared/integrations/zoom-webhook';
import { createSessionMeeting } from '../../shared/usecases/meetings';
import { useTestTable } from '../../test/support/table';
import { call, caller } from '../../test/support/http';
import { useZoomEmulator } from '../../test/support/zoom';
import { givenSession } from '../../test/support/sessions';

useTestTable();
const faults = new Set<string>();
const zoom = useZoomEmulator(faults);

const SECRET = 'handler_webhook_token';
beforeAll(() => {
  process.env.ZOOM_WEBHOOK_SECRET_TOKEN = SECRET;
  process.env.PAYSTACK_SECRET_KEY ??= 'sk_test_handler';
});

const WEBHOOK = 'POST /webhooks/zoom';
const RECORDINGS = 'GET /sessions/{sessionId}/recordings';

/** POSTs `event` as Zoom does: the exact bytes, signed with the timestamp (now, unless `atMs`). */
const deliver = (event: unknown, opts: { atMs?: number; secret?: string; headers?: Record<string, string | undefined> } = {}) => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const timestamp = String(Math.floor((opts.atMs ?? Date.now()) / 1000));
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': signZoomWebhook(timestamp, body, opts.secret ?? SECRET),
  };
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return call(zoomWebhook, WEBHOOK, { rawBody: body, headers });
};

let n = 0;
const parties = () => {
  n += 1;
  return {
    student: caller(`rh-student-${n}`, 'student'),
    tutor: caller(`rh-tutor-${n}`, 'tutor'),
    stranger: caller(`rh-stranger-${n}`, 'student'),
    otherTutor: caller(`rh-other-tutor-${n}`, 'tutor'),
    admin: caller(`rh-admin-${n}`, 'admin'),
  };
};

/** A paid session with its Zoom meeting, made by the CreateMeeting step's use case, and the emulator's recording.completed for it. */
const recordedMeeting = async (p: ReturnType<typeof parties>) => {
  const s = await givenSession(p.student.sub, p.tutor.sub);
  const { meetingId } = await createSessionMeeting(s.id);
  const body = zoom.emulator.recordingCompletedBody(meetingId!);
  const meeting = zoom.emulator.meetings.get(meetingId!)!;
  return { sessionId: s.id, meeting, files: meeting.recordings, body, event: JSON.parse(body) };
};

const recordingsOf = (as: ReturnType<typeof caller>, sessionId: string) => call(listRecordings, RECORDINGS, { as, pathParameters: { sessionId } });
const ready = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.filter((i) => i.event === 'RECORDING_READY');

describe('POST /webhooks/zoom', () => {
  it('answers the URL validation challenge with the encrypted token', async () => {
    const res = await deliver({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: Date.now(), event: 'endpoint.url_validation' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const other = await deliver({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event: 'endpoint.url_validation' }, { secret: 'other' });
    expect(other.status).toBe(401);
  });

  it('stores recording.completed and tells both participants; a redelivery is 200 and changes nothing', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    const first = await deliver(r.body);
    expect(first).toMatchObject({ status: 200, body: { received: true, outcome: 'stored' } });
    const again = await deliver(r.body);
    expect(again).toMatchObject({ status: 200, body: { received: true, outcome: 'duplicate' } });
    expect(await listSessionRecordings(r.sessionId)).toHaveLength(1);
    expect(await ready(p.student.sub)).toHaveLength(1);
    expect(await ready(p.tutor.sub)).toHaveLength(1);
  });

  it.each([
    ['no signature', { 'x-zm-signature': undefined }],
    ['no timestamp', { 'x-zm-request-timestamp': undefined }],
    ['a bad signature', { 'x-zm-signature': `v0=${'0'.repeat(64)}` }],
  ])('is 401 with %s, in the Paystack webhook’s error format, and changes nothing', async (_what, headers) => {
    const p = parties();
    const r = await recordedMeeting(p);
    const res = await deliver(r.body, { headers });
    expect(res.status).toBe(401);
    const paystack = await call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: '{}', headers: { 'content-type': 'application/json' } });
    expect(paystack.status).toBe(401);
    expect(res.body).toEqual({ error: { code: paystack.body.error.code, message: expect.any(String) } });
    expect(Object.keys(res.body.error)).toEqual(Object.keys(paystack.body.error));
    expect(await listSessionRecordings(r.sessionId)).toEqual([]);
    expect(await ready(p.student.sub)).toEqual([]);
  });

  it('is 401 for a body with one byte changed after signing', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    const body = r.body;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signZoomWebhook(timestamp, body, SECRET);
    const tampered = body.replace(r.meeting.password, `${r.meeting.password.slice(0, -1)}!`);
    expect(tampered).not.toBe(body);
    const res = await call(zoomWebhook, WEBHOOK, {
      rawBody: tampered,
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature },
    });
    expect(res.status).toBe(401);
    expect(await listSessionRecordings(r.sessionId)).toEqual([]);
  });

  it('is 401 for a correctly signed event replayed after more than 5 minutes', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    const res = await deliver(r.body, { atMs: Date.now() - 10 * 60_000 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    expect(await listSessionRecordings(r.sessionId)).toEqual([]);
  });

  it('is 200 for a meeting that is no session’s, and 400 for a signed body that is not JSON', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    const unknown = { ...r.event, payload: { ...r.event.payload, object: { ...r.event.payload.object, id: 89999999999 } } };
    expect(await deliver(unknown)).toMatchObject({ status: 200, body: { received: true, outcome: 'unknown-meeting' } });
    expect(await listSessionRecordings(r.sessionId)).toEqual([]);
    const malformed = await deliver('{"event":"recording.completed",');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /sessions/{id}/recordings', () => {
  it('is an empty list before Zoom reported anything, and the stored files with their links after', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    for (const who of [p.student, p.tutor, p.admin]) expect(await recordingsOf(who, r.sessionId)).toMatchObject({ status: 200, body: { items: [] } });
    await deliver(r.body);
    for (const who of [p.student, p.tutor, p.admin]) {
      const res = await recordingsOf(who, r.sessionId);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual(
        r.files.map((f) => ({
          id: f.id,
          recordingType: f.recordingType,
          fileType: f.fileType,
          fileExtension: f.fileExtension,
          fileSize: f.fileSize,
          status: 'completed',
          recordingStart: f.recordingStart,
          recordingEnd: f.recordingEnd,
          playUrl: f.playUrl,
          downloadUrl: f.downloadUrl,
          passcode: r.meeting.password,
        })),
      );
      expect(JSON.stringify(res.body)).not.toContain('zak=');
    }
  });

  it('is 404 for anyone who is not a participant or an admin, also once recordings are stored', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    await deliver(r.body);
    for (const who of [p.stranger, p.otherTutor]) {
      const res = await recordingsOf(who, r.sessionId);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toContain(r.files[0]!.playUrl);
    }
  });

  it('never asks Zoom: served while Zoom is down, and an empty list for a session without a meeting', async () => {
    const p = parties();
    const r = await recordedMeeting(p);
    await deliver(r.body);
    const own = await givenSession(p.student.sub, p.tutor.sub, { meetingUrl: 'https://meet.example.com/own' }, 6);
    const before = zoom.emulator.requests.length;
    faults.add('zoom');
    try {
      expect((await recordingsOf(p.student, r.sessionId)).body.items).toHaveLength(r.files.length);
      expect(await recordingsOf(p.student, own.id)).toMatchObject({ status: 200, body: { items: [] } });
    } finally {
      faults.delete('zoom');
    }
    expect(zoom.emulator.requests.length).toBe(before);
  });
});
