/**
 * Zoom's recording.completed against DynamoDB Local, with a clock of the test's own: the
 * signature and its replay window, the URL validation, storing each meeting instance once and
 * telling both participants once however Zoom delivers it, and events that are not ours.
 * Each delivery goes through the route's HTTP chain (the signature is checked there, before the
 * use case gets the parsed event), built with the test's clock and secret.
 */
import { ulid } from 'ulid';
import { HttpError } from '../domain/errors';
import { listNotifications } from '../data/notifications';
import { listSessionRecordings, putRecordings } from '../data/recordings';
import { transitionSession, getSession } from '../data/sessions';
import { notify as realNotify } from './notify';
import { signZoomWebhook } from '../integrations/zoom-webhook';
import { useTestTable } from '../../test/support/table';
import { useZoomEmulator } from '../../test/support/zoom';
import { givenSession } from '../../test/support/sessions';
import { createSessionMeeting } from './meetings';
import type { RecordingDeps } from './recordings';
import { zoomWebhookHandler } from '../../functions/http/zoomWebhook';
import { call } from '../../test/support/http';

useTestTable();
const zoom = useZoomEmulator();

const SECRET = 'usecase_webhook_token';
const T0 = Date.parse('2026-11-24T10:15:30Z');

/** Deps with the test's clock and a spy around the real notifier. */
const deps = (nowMs = T0) => {
  const notify = jest.fn(realNotify);
  const d: RecordingDeps = { clock: () => new Date(nowMs), secretToken: async () => SECRET, notify };
  return { ...d, notify };
};

/** Signed as Zoom signs, at `atMs` (default: the clock's now). */
const signed = (event: unknown, atMs = T0, secret = SECRET) => {
  const body = typeof event === 'string' ? event : JSON.stringify(event);
  const timestamp = String(Math.floor(atMs / 1000));
  return { rawBody: Buffer.from(body), timestamp, signature: signZoomWebhook(timestamp, body, secret) };
};

/** An error answer, as the HttpError the chain answered with. */
class Answered extends HttpError {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    details?: { path: string; message: string }[],
  ) {
    super(message, details);
  }
}

/** POST /webhooks/zoom as Zoom sends it, with the test's deps: the answer's body, or its error thrown. */
const postZoomWebhook = async (req: { rawBody: Buffer; timestamp?: string | undefined; signature?: string | undefined }, d: RecordingDeps) => {
  const headers: Record<string, string> = {};
  if (req.timestamp !== undefined) headers['x-zm-request-timestamp'] = req.timestamp;
  if (req.signature !== undefined) headers['x-zm-signature'] = req.signature;
  const res = await call(zoomWebhookHandler(d), 'POST /webhooks/zoom', { rawBody: req.rawBody.toString('utf8'), headers });
  if (res.status === 200) return res.body;
  throw new Answered(res.status, res.body.error.code, res.body.error.message, res.body.error.details);
};

let n = 0;
/** A paid session whose Zoom meeting the CreateMeeting step made (so its lookup exists). */
const withMeeting = async () => {
  n += 1;
  const s = await givenSession(`rc-student-${n}`, `rc-tutor-${n}`);
  const { meetingId } = await createSessionMeeting(s.id);
  const meeting = zoom.emulator.meetings.get(meetingId!)!;
  return { session: s, meetingId: meetingId!, uuid: meeting.uuid };
};

const file = (id: string, type: string) => ({
  id,
  meeting_id: 'x',
  recording_start: '2026-11-24T09:00:12Z',
  recording_end: '2026-11-24T09:58:40Z',
  file_type: type,
  file_extension: type,
  file_size: 1000,
  play_url: `https://zoom.us/rec/play/${id}`,
  download_url: `https://zoom.us/rec/download/${id}`,
  status: 'completed',
  recording_type: type === 'MP4' ? 'shared_screen_with_speaker_view' : 'audio_only',
});

const recordingCompleted = (meetingId: string, uuid: string, over: Record<string, unknown> = {}) => ({
  event: 'recording.completed',
  event_ts: T0 - 1000,
  payload: {
    account_id: 'acc',
    object: {
      id: Number(meetingId),
      uuid,
      host_id: 'host',
      topic: 'Career chat',
      start_time: '2026-11-24T09:00:00Z',
      duration: 60,
      password: 'Rt7s2Q',
      recording_files: [file(`${uuid}-video`, 'MP4'), file(`${uuid}-audio`, 'M4A')],
      ...over,
    },
  },
  download_token: 'not-stored',
});

const inboxEvents = async (userId: string, event = 'RECORDING_READY') => (await listNotifications(userId, undefined, 50)).items.filter((i) => i.event === event);

const rejection = async (p: Promise<unknown>): Promise<HttpError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
};

describe('The signature', () => {
  it('is checked first: unsigned, wrongly signed or tampered events are 401 and change nothing', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid);
    const good = signed(event);
    const d = deps();
    for (const req of [
      { ...good, signature: undefined },
      { ...good, timestamp: undefined },
      signed(event, T0, 'someone-else'),
      { ...good, rawBody: Buffer.from(good.rawBody.toString().replace('Rt7s2Q', 'Rt7s2R')) },
    ]) {
      const e = await rejection(postZoomWebhook(req, d));
      expect(e.toJSON()).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Missing or invalid x-zm-signature' } });
    }
    expect(await listSessionRecordings(m.session.id)).toEqual([]);
    expect(d.notify).not.toHaveBeenCalled();
  });

  it('refuses a correctly signed event older or newer than 5 minutes by the clock, changing nothing', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid);
    for (const at of [T0 - 6 * 60_000, T0 + 6 * 60_000]) {
      const d = deps(T0);
      const e = await rejection(postZoomWebhook(signed(event, at), d));
      expect(e.statusCode).toBe(401);
      expect(e.code).toBe('UNAUTHORIZED');
      expect(d.notify).not.toHaveBeenCalled();
    }
    expect(await listSessionRecordings(m.session.id)).toEqual([]);
    // The same event, signed now, goes through.
    await expect(postZoomWebhook(signed(event), deps())).resolves.toEqual({ received: true, outcome: 'stored' });
  });
});

describe('endpoint.url_validation', () => {
  it('is answered with plainToken and its HMAC-SHA256 keyed with the secret token', async () => {
    const { createHmac } = await import('node:crypto');
    const answer = await postZoomWebhook(signed({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: T0, event: 'endpoint.url_validation' }), deps());
    expect(answer).toEqual({ plainToken: 'qgg8vlvZRS6UYooatFL8Aw', encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex') });
  });

  it('must be signed too, and carry a plainToken', async () => {
    const unsigned = { ...signed({ event: 'endpoint.url_validation', payload: { plainToken: 'abc' } }), signature: undefined };
    expect((await rejection(postZoomWebhook(unsigned, deps()))).statusCode).toBe(401);
    const empty = await rejection(postZoomWebhook(signed({ event: 'endpoint.url_validation', payload: {} }), deps()));
    expect(empty.code).toBe('VALIDATION_FAILED');
  });
});

describe('recording.completed', () => {
  it('stores the files on the session and tells both participants once, however often Zoom delivers it', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid);
    const first = deps();
    expect(await postZoomWebhook(signed(event), first)).toEqual({ received: true, outcome: 'stored' });
    expect(first.notify).toHaveBeenCalledTimes(1);
    expect(first.notify).toHaveBeenCalledWith(expect.objectContaining({ event: 'RECORDING_READY', to: ['student', 'tutor'], occurrence: m.uuid }), expect.any(Function));

    const [stored] = await listSessionRecordings(m.session.id);
    expect(stored).toMatchObject({
      sessionId: m.session.id,
      meetingId: m.meetingId,
      meetingUuid: m.uuid,
      event: 'recording.completed',
      passcode: 'Rt7s2Q',
      receivedAt: new Date(T0).toISOString(),
      notifiedAt: new Date(T0).toISOString(),
      files: [
        {
          id: `${m.uuid}-video`,
          fileType: 'MP4',
          recordingType: 'shared_screen_with_speaker_view',
          playUrl: `https://zoom.us/rec/play/${m.uuid}-video`,
          downloadUrl: `https://zoom.us/rec/download/${m.uuid}-video`,
          fileSize: 1000,
          status: 'completed',
        },
        { id: `${m.uuid}-audio`, fileType: 'M4A' },
      ],
    });
    expect(JSON.stringify(stored)).not.toContain('not-stored'); // the download token

    // Zoom retries (a minute later, freshly signed): nothing new stored, nobody told again.
    const again = deps(T0 + 60_000);
    expect(await postZoomWebhook(signed(event, T0 + 60_000), again)).toEqual({ received: true, outcome: 'duplicate' });
    expect(again.notify).not.toHaveBeenCalled();
    expect(await listSessionRecordings(m.session.id)).toEqual([stored]);
    for (const userId of [m.session.studentId, m.session.tutorId]) {
      const ready = await inboxEvents(userId);
      expect(ready).toHaveLength(1);
      expect(ready[0]).toMatchObject({ sessionId: m.session.id, title: 'Recording ready', action: { href: `/mentorship/session/${m.session.id}` } });
    }
  });

  it('stores and notifies once when deliveries of the same event race', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid);
    const outcomes = await Promise.all([1, 2, 3].map(() => postZoomWebhook(signed(event), deps())));
    expect(outcomes.filter((o) => 'outcome' in o && o.outcome === 'stored')).toHaveLength(1);
    expect(await listSessionRecordings(m.session.id)).toHaveLength(1);
    expect(await inboxEvents(m.session.studentId)).toHaveLength(1);
    expect(await inboxEvents(m.session.tutorId)).toHaveLength(1);
  });

  it('finishes a delivery that stored the files and died before notifying: the redelivery notifies, once', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid);
    await putRecordings({
      sessionId: m.session.id,
      meetingId: m.meetingId,
      meetingUuid: m.uuid,
      event: 'recording.completed',
      startTime: null,
      passcode: null,
      files: [],
      eventTs: null,
      receivedAt: new Date(T0).toISOString(),
    });
    const d = deps();
    expect(await postZoomWebhook(signed(event), d)).toEqual({ received: true, outcome: 'duplicate' });
    expect(d.notify).toHaveBeenCalledTimes(1);
    expect(await inboxEvents(m.session.studentId)).toHaveLength(1);
    const later = deps();
    await postZoomWebhook(signed(event), later);
    expect(later.notify).not.toHaveBeenCalled();
  });

  it('stores a second instance of the meeting (started again) beside the first, and tells both about it', async () => {
    const m = await withMeeting();
    await postZoomWebhook(signed(recordingCompleted(m.meetingId, m.uuid, { start_time: '2026-11-24T09:00:00Z' })), deps());
    const second = 'Zm9vYmFyYmF6cXV4MTIzNA==';
    expect(await postZoomWebhook(signed(recordingCompleted(m.meetingId, second, { start_time: '2026-11-24T09:30:00Z' })), deps())).toEqual({
      received: true,
      outcome: 'stored',
    });
    expect((await listSessionRecordings(m.session.id)).map((r) => r.meetingUuid).sort()).toEqual([m.uuid, second].sort());
    expect(await inboxEvents(m.session.studentId)).toHaveLength(2);
  });

  it('tolerates fields Zoom adds anywhere', async () => {
    const m = await withMeeting();
    const event = recordingCompleted(m.meetingId, m.uuid, {
      recording_files: [{ ...file('f1', 'MP4'), encryption_fingerprint: 'abc', file_path: '/x' }],
      total_size: '1000',
      on_prem: false,
      participant_audio_files: [{ id: 'p1' }],
    });
    const res = await postZoomWebhook(signed({ ...event, payload: { ...event.payload, operator: 'someone' }, new_top_level: { a: 1 } }), deps());
    expect(res).toEqual({ received: true, outcome: 'stored' });
    expect((await listSessionRecordings(m.session.id))[0]!.files).toEqual([expect.objectContaining({ id: 'f1', playUrl: 'https://zoom.us/rec/play/f1' })]);
  });

  it('is 400 when signed but malformed, storing nothing', async () => {
    const m = await withMeeting();
    const noUuid = recordingCompleted(m.meetingId, m.uuid, { uuid: undefined });
    const badUrl = recordingCompleted(m.meetingId, m.uuid, { recording_files: [{ ...file('f', 'MP4'), play_url: 'javascript:alert(1)' }] });
    for (const body of [noUuid, badUrl, '{"event":', '{"payload":{}}']) {
      const e = await rejection(postZoomWebhook(signed(body), deps()));
      expect([e.statusCode, e.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(await listSessionRecordings(m.session.id)).toEqual([]);
  });
});

describe('Events that are not ours', () => {
  it('answers 200 for a meeting that is no session’s, storing and telling nothing', async () => {
    const d = deps();
    expect(await postZoomWebhook(signed(recordingCompleted('89999999999', 'dW5rbm93bg==')), d)).toEqual({ received: true, outcome: 'unknown-meeting' });
    expect(d.notify).not.toHaveBeenCalled();
  });

  it('answers 200 for a meeting the session no longer uses, storing nothing on it', async () => {
    const m = await withMeeting();
    const s = (await getSession(m.session.id))!;
    await transitionSession(s, { ...s, meetingId: '80000000001', updatedAt: new Date().toISOString() });
    const d = deps();
    expect(await postZoomWebhook(signed(recordingCompleted(m.meetingId, m.uuid)), d)).toEqual({ received: true, outcome: 'unknown-meeting' });
    expect(await listSessionRecordings(m.session.id)).toEqual([]);
    expect(d.notify).not.toHaveBeenCalled();
  });

  it('acknowledges other events and ignores them', async () => {
    const d = deps();
    const started = { event: 'meeting.started', event_ts: T0, payload: { account_id: 'acc', object: { id: '81234567890', uuid: ulid() } } };
    expect(await postZoomWebhook(signed(started), d)).toEqual({ received: true, outcome: 'ignored' });
    expect(d.notify).not.toHaveBeenCalled();
  });
});
