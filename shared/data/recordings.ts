/**
 * A session's cloud recordings, as Zoom's `recording.completed` webhook delivered them: one
 * item per meeting instance (`pk SESSION#<id>, sk CLOUD_RECORDINGS#<event>#<meeting uuid>`),
 * written once however often Zoom delivers the event, and marked `notifiedAt` once the
 * participants were told. Plus the lookup from a Zoom meeting to its session
 * (`ZOOM#<meetingId>`, written by shared/data/meetings.ts when the meeting is recorded).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import * as z from '../schemas/zod';
import { entity, nullableString, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { RECORDINGS_PREFIX, recordingsKey, sessionKey } from './keys';
import { ZoomMeeting } from './meetings';
import { conditional, getItem, putItem, queryAll, updateItem } from './ops';

export interface StoredRecordingFile {
  id: string | null;
  /** e.g. shared_screen_with_speaker_view, audio_only */
  recordingType: string | null;
  fileType: string | null;
  fileExtension: string | null;
  fileSize: number | null;
  status: string | null;
  recordingStart: string | null;
  recordingEnd: string | null;
  /** Zoom's web player. */
  playUrl: string | null;
  /**
   * As Zoom sent it: downloading needs a Zoom access token (Bearer header or
   * `?access_token=`) unless the account allows public downloads. We do not add ours.
   */
  downloadUrl: string | null;
}

export interface MeetingRecordings {
  sessionId: string;
  meetingId: string;
  /** The meeting instance (a meeting started twice is recorded twice). */
  meetingUuid: string;
  /** Zoom's event, e.g. `recording.completed`. */
  event: string;
  /** The instance's start, as Zoom reported it. */
  startTime: string | null;
  /** The recording's passcode, when Zoom asks for one on play. */
  passcode: string | null;
  files: StoredRecordingFile[];
  /** Zoom's `event_ts` (epoch ms). */
  eventTs: number | null;
  receivedAt: string;
  /** When the participants were notified; absent until then. */
  notifiedAt?: string;
}

const nullableNumber = z.nullable(z.number());

const storedRecordings = z.object({
  sessionId: z.string(),
  meetingId: z.string(),
  meetingUuid: z.string(),
  event: z.string(),
  startTime: nullableString,
  passcode: nullableString,
  files: z.array(
    z.object({
      id: nullableString,
      recordingType: nullableString,
      fileType: nullableString,
      fileExtension: nullableString,
      fileSize: nullableNumber,
      status: nullableString,
      recordingStart: nullableString,
      recordingEnd: nullableString,
      playUrl: nullableString,
      downloadUrl: nullableString,
    }),
  ),
  eventTs: nullableNumber,
  receivedAt: z.string(),
  notifiedAt: z.optional(z.string()),
});
sameShape<z.output<typeof storedRecordings>, MeetingRecordings>(true);

export const Recordings = entity({
  type: 'Recordings',
  about: 'Recordings (one meeting instance’s cloud recordings from Zoom’s `recording.completed`; `notifiedAt` once both were told)',
  key: recordingsKey,
  schema: storedRecordings,
  keys: (r) => recordingsKey(r.sessionId, r.event, r.meetingUuid),
  sample: () => recordingsKey('<id>', '<event>', '<meeting uuid>'),
  accessPatterns: () => [
    {
      pattern: "store a meeting instance's recordings once (Zoom redelivers)",
      key: `Put ${keyText(recordingsKey('<id>', '<event>', '<uuid>'))} with \`attribute_not_exists(pk)\`; then Update \`notifiedAt\` with \`attribute_not_exists(notifiedAt)\``,
      operation: 'PutItem, UpdateItem',
    },
    {
      pattern: "a session's recordings (GET /sessions/{id}/recordings)",
      key: `${partitionText(sessionKey('<id>').pk)}, sk prefix ${code(RECORDINGS_PREFIX)}, consistent read`,
      operation: 'Query',
    },
  ],
});

/** The session a Zoom meeting was recorded on, if any of ours. */
export const sessionIdOfZoomMeeting = async (meetingId: string): Promise<string | undefined> => {
  const item = await getItem(ZoomMeeting.key(meetingId), { ConsistentRead: true });
  return item ? ZoomMeeting.parse(item).sessionId : undefined;
};

/** Stores an instance's recordings unless that event of that instance was stored before: then answers what was. */
export const putRecordings = async (r: MeetingRecordings): Promise<{ stored: true } | { stored: false; existing: MeetingRecordings }> => {
  const { notifiedAt: _n, ...fresh } = r;
  try {
    await putItem({ Item: Recordings.item(fresh), ConditionExpression: 'attribute_not_exists(pk)' });
    return { stored: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  const item = await getItem(Recordings.key(r.sessionId, r.event, r.meetingUuid), { ConsistentRead: true });
  if (!item) throw new Error(`The recordings of meeting instance ${r.meetingUuid} vanished`);
  return { stored: false, existing: Recordings.parse(item) };
};

/** After the participants were told; false if it was marked already. */
export const markRecordingsNotified = (r: Pick<MeetingRecordings, 'sessionId' | 'event' | 'meetingUuid'>, at: string): Promise<boolean> =>
  conditional(() =>
    updateItem({
      Key: Recordings.key(r.sessionId, r.event, r.meetingUuid),
      UpdateExpression: 'SET notifiedAt = :at',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
      ExpressionAttributeValues: { ':at': at },
    }),
  );

/** Every recorded instance of the session's meeting, in one Query on the session's partition. */
export const listSessionRecordings = async (sessionId: string): Promise<MeetingRecordings[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': sessionKey(sessionId).pk, ':prefix': RECORDINGS_PREFIX },
    ConsistentRead: true,
  });
  return items.map(Recordings.parse);
};
