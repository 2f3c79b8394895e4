/**
 * A session's cloud recordings, as Zoom's `recording.completed` webhook delivered them: one
 * item per meeting instance (`pk SESSION#<id>, sk CLOUD_RECORDINGS#<event>#<meeting uuid>`),
 * written once however often Zoom delivers the event, and marked `notifiedAt` once the
 * participants were told. Plus the lookup from a Zoom meeting to its session
 * (`ZOOM#<meetingId>`, written by shared/data/meetings.ts when the meeting is recorded).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { ddb } from './client';
import { RECORDINGS_PREFIX, recordingsKey, sessionKey, zoomMeetingKey } from './keys';

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

const fromItem = (item: Record<string, unknown>): MeetingRecordings => {
  const { pk: _pk, sk: _sk, type: _t, ...rest } = item;
  return rest as unknown as MeetingRecordings;
};

/** The session a Zoom meeting was recorded on, if any of ours. */
export const sessionIdOfZoomMeeting = async (meetingId: string): Promise<string | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: zoomMeetingKey(meetingId), ConsistentRead: true }));
  return typeof Item?.sessionId === 'string' ? Item.sessionId : undefined;
};

/** Stores an instance's recordings unless that event of that instance was stored before: then answers what was. */
export const putRecordings = async (r: MeetingRecordings): Promise<{ stored: true } | { stored: false; existing: MeetingRecordings }> => {
  const { notifiedAt: _n, ...fresh } = r;
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...recordingsKey(r.sessionId, r.event, r.meetingUuid), type: 'Recordings', ...fresh },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return { stored: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: recordingsKey(r.sessionId, r.event, r.meetingUuid), ConsistentRead: true }));
  if (!Item) throw new Error(`The recordings of meeting instance ${r.meetingUuid} vanished`);
  return { stored: false, existing: fromItem(Item) };
};

/** After the participants were told; false if it was marked already. */
export const markRecordingsNotified = async (r: Pick<MeetingRecordings, 'sessionId' | 'event' | 'meetingUuid'>, at: string): Promise<boolean> => {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: recordingsKey(r.sessionId, r.event, r.meetingUuid),
        UpdateExpression: 'SET notifiedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(notifiedAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/** Every recorded instance of the session's meeting, in one Query on the session's partition. */
export const listSessionRecordings = async (sessionId: string): Promise<MeetingRecordings[]> => {
  const out: MeetingRecordings[] = [];
  const pages = paginateQuery(
    { client: ddb },
    {
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': sessionKey(sessionId).pk, ':prefix': RECORDINGS_PREFIX },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) out.push(...(page.Items ?? []).map(fromItem));
  return out;
};
