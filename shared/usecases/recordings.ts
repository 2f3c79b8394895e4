/**
 * Cloud recordings: Zoom tells us when a meeting's recordings are ready (`recording.completed`
 * on POST /webhooks/zoom); we store their links on the session and tell both participants;
 * GET /sessions/{id}/recordings serves what was stored (no Zoom call on reads).
 *
 * Zoom retries a webhook it got no timely 200 for, and a meeting started twice is recorded
 * twice: each instance (meeting uuid) is stored once, by a conditional write, and its
 * participants are notified once (the item's `notifiedAt`, and the notifier's own dedupe on
 * the instance, cover a delivery that died between storing and notifying).
 */
import type * as z from '../schemas/zod';
import { systemClock, type Clock } from '../domain/clock';
import { UnauthorizedError, ValidationError } from '../domain/errors';
import { getSession } from '../data/sessions';
import { listSessionRecordings, markRecordingsNotified, putRecordings, sessionIdOfZoomMeeting, type MeetingRecordings, type StoredRecordingFile } from '../data/recordings';
import type { Caller } from '../domain/caller';
import { notify as notifier } from './notify';
import { verifyZoomWebhookSignature, ZOOM_WEBHOOK_TOLERANCE_MS, zoomUrlValidationAnswer, zoomWebhookSecretToken } from '../integrations/zoom-webhook';
import { logger } from '../observability/logger';
import {
  zoomRecordingCompletedEvent,
  zoomUrlValidationPayload,
  type RecordingFile,
  type RecordingOutcome,
  type ZoomRecordingCompletedEvent,
  type ZoomWebhookEnvelope,
} from '../schemas/zoom';
import { visibleSession } from './session-access';

export interface RecordingDeps {
  clock: Clock;
  /** The app's webhook Secret Token. */
  secretToken: () => Promise<string>;
  notify: typeof notifier;
}

export const defaultRecordingDeps: RecordingDeps = { clock: systemClock, secretToken: zoomWebhookSecretToken, notify: notifier };

// ---------------------------------------------------------------- what participants see

export interface RecordingItem extends StoredRecordingFile {
  /** The recording's passcode, when Zoom asks for one on play. */
  passcode: string | null;
}

export const presentRecording = (f: RecordingFile): StoredRecordingFile => ({
  id: f.id ?? null,
  recordingType: f.recording_type ?? null,
  fileType: f.file_type ?? null,
  fileExtension: f.file_extension ?? null,
  fileSize: f.file_size ?? null,
  status: f.status ?? null,
  recordingStart: f.recording_start ?? null,
  recordingEnd: f.recording_end ?? null,
  playUrl: f.play_url ?? null,
  downloadUrl: f.download_url ?? null,
});

const startOf = (r: MeetingRecordings) => r.startTime ?? r.files[0]?.recordingStart ?? r.receivedAt;

/** GET /sessions/{id}/recordings: the participants and admins (404 for anyone else); none is an empty list. */
export const listRecordings = async (caller: Caller, id: string): Promise<{ items: RecordingItem[] }> => {
  await visibleSession(caller, id);
  const instances = (await listSessionRecordings(id)).sort((a, b) => startOf(a).localeCompare(startOf(b)));
  return { items: instances.flatMap((r) => r.files.map((f) => ({ ...f, passcode: r.passcode }))) };
};

// ---------------------------------------------------------------- POST /webhooks/zoom

export type { RecordingOutcome };

export type ZoomWebhookReply = { plainToken: string; encryptedToken: string } | { received: true; outcome: RecordingOutcome | 'ignored' };

const invalid = (message: string, error: z.core.$ZodError) =>
  new ValidationError(
    message,
    error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );

/**
 * POST /webhooks/zoom's signature check, run by the HTTP chain on the exact bytes received
 * before anything is read (httpHandler's `signature`): x-zm-signature must sign the timestamp
 * and the body with the webhook secret token (shared/integrations/zoom-webhook.ts), and the
 * timestamp be within 5 minutes of the clock (older is a replay). 401 otherwise, as for
 * Paystack's webhook.
 */
export const verifyZoomWebhook = async (
  rawBody: Buffer,
  headers: Readonly<Record<string, string | undefined>>,
  deps: Pick<RecordingDeps, 'clock' | 'secretToken'> = defaultRecordingDeps,
): Promise<void> => {
  const secret = await deps.secretToken();
  const check = verifyZoomWebhookSignature({ rawBody, signature: headers['x-zm-signature'], timestamp: headers['x-zm-request-timestamp'], secret, nowMs: deps.clock().getTime() });
  if (check === 'stale') throw new UnauthorizedError(`x-zm-request-timestamp is more than ${ZOOM_WEBHOOK_TOLERANCE_MS / 60_000} minutes from our clock`);
  if (check !== 'valid') throw new UnauthorizedError('Missing or invalid x-zm-signature');
};

/**
 * Everything Zoom posts, its signature checked: the URL validation challenge is answered,
 * `recording.completed` stored, any other event acknowledged and ignored.
 */
export const zoomWebhook = async (envelope: ZoomWebhookEnvelope, deps: RecordingDeps = defaultRecordingDeps): Promise<ZoomWebhookReply> => {
  switch (envelope.event) {
    case 'endpoint.url_validation': {
      const payload = zoomUrlValidationPayload.safeParse(envelope.payload);
      if (!payload.success) throw invalid('Not a URL validation Zoom sends', payload.error);
      return zoomUrlValidationAnswer(payload.data.plainToken, await deps.secretToken());
    }
    case 'recording.completed': {
      const event = zoomRecordingCompletedEvent.safeParse(envelope);
      if (!event.success) throw invalid('Not a recording.completed event we understand', event.error);
      return { received: true, outcome: await storeCompletedRecording(event.data, deps) };
    }
    default:
      logger.info('Zoom event ignored', { event: envelope.event });
      return { received: true, outcome: 'ignored' };
  }
};

/** Stores one meeting instance's recordings on its session, once, and tells both participants, once. */
export const storeCompletedRecording = async (event: ZoomRecordingCompletedEvent, deps: RecordingDeps = defaultRecordingDeps): Promise<RecordingOutcome> => {
  const meeting = event.payload.object;
  const fields = { meetingId: meeting.id, meetingUuid: meeting.uuid };
  const sessionId = await sessionIdOfZoomMeeting(meeting.id);
  const session = sessionId ? await getSession(sessionId) : undefined;
  // The lookup outlives a session that moved to another meeting; only the session's own counts.
  if (session?.meetingId !== meeting.id) {
    logger.info('Recording of a Zoom meeting that is no session’s; ignored', { ...fields, sessionId });
    return 'unknown-meeting';
  }

  const record: MeetingRecordings = {
    sessionId: session.id,
    meetingId: meeting.id,
    meetingUuid: meeting.uuid,
    event: event.event,
    startTime: meeting.start_time ?? null,
    passcode: meeting.password ?? meeting.recording_play_passcode ?? null,
    files: meeting.recording_files.map(presentRecording),
    eventTs: event.event_ts ?? null,
    receivedAt: deps.clock().toISOString(),
  };
  const put = await putRecordings(record);
  if (!put.stored && put.existing.notifiedAt) {
    logger.info('Zoom recording delivered again; already stored and notified', { ...fields, sessionId: session.id });
    return 'duplicate';
  }
  // A delivery that died after storing left notifiedAt unset: this one finishes its work.
  await deps.notify({ event: 'RECORDING_READY', session, to: ['student', 'tutor'], occurrence: meeting.uuid }, deps.clock);
  await markRecordingsNotified(record, deps.clock().toISOString());
  logger.info('Zoom recording stored', { ...fields, sessionId: session.id, files: record.files.length, redelivered: !put.stored });
  return put.stored ? 'stored' : 'duplicate';
};
