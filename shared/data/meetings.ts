/**
 * A session's video meeting (`pk SESSION#<id>, sk MEETING`). The item is written before Zoom
 * is called, as a claim: state CREATING, an owner (one attempt of the workflow step) and a
 * lease. Only the owner may record the created meeting, in the same transaction as the
 * session's `meetingId`/`meetingUrl`; a later attempt takes the claim over only once the
 * lease has run out (or the owner released it when it failed). The host's start URL is never
 * stored (it expires; the tutor fetches a fresh one). Recording the meeting also writes
 * `ZOOM#<meetingId>` → the session id, for Zoom's webhooks.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { InvalidStateError } from '../domain/errors';
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { entity, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { MEETING_SK, meetingKey, sessionKey, zoomMeetingKey } from './keys';
import { getItem, put, query, update, updateItem } from './ops';
import { SessionEntity, sessionReplacement, StaleSessionError, type SessionInternals, type StoredSession } from './sessions';
import { transactWrite } from './transact';

/** NO_HOST: no Zoom host was free for the session, so none was made (the tutor was asked for a link). */
export type MeetingState = 'CREATING' | 'CREATED' | 'DELETED' | 'NO_HOST';

export interface MeetingRecord {
  sessionId: string;
  provider: 'ZOOM';
  state: MeetingState;
  /** The attempt that holds the creation claim, and until when (epoch ms). */
  owner: string;
  leaseUntil: number;
  /** How many attempts claimed it. */
  attempts: number;
  meetingId?: string;
  joinUrl?: string;
  /** Items written before start links were fetched fresh may still carry one; it is never read. */
  startUrl?: string;
  /** The start a meeting sync last moved the meeting to (absent: where it was created). */
  syncedStart?: string;
  createdAt: string;
  updatedAt: string;
}

/** Our claim was taken over (our lease ran out): the meeting we made is not the one recorded. */
export class MeetingClaimLostError extends InvalidStateError {
  constructor(sessionId: string) {
    super(`The meeting of session ${sessionId} is being created by another attempt`);
  }
}

const storedMeeting = z.object({
  sessionId: z.string(),
  provider: z.literal('ZOOM'),
  state: z.enum(['CREATING', 'CREATED', 'DELETED', 'NO_HOST']),
  owner: z.string(),
  leaseUntil: z.number(),
  attempts: z.number(),
  meetingId: z.optional(z.string()),
  joinUrl: z.optional(z.string()),
  startUrl: z.optional(z.string()),
  syncedStart: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<z.output<typeof storedMeeting>, MeetingRecord>(true);

export const Meeting = entity({
  type: 'Meeting',
  about:
    'Meeting (a session’s video meeting: the creation claim `state`/`owner`/`leaseUntil`, then `meetingId` and `joinUrl`, or `NO_HOST`; the host’s start link is never stored)',
  key: meetingKey,
  schema: storedMeeting,
  sample: () => meetingKey('<id>'),
  accessPatterns: () => [
    {
      pattern: 'session page: the session and its meeting',
      key: `${partitionText(sessionKey('<id>').pk)}, sk between ${code(MEETING_SK)} and ${code(sessionKey('<id>').sk)}`,
      operation: 'Query',
    },
    {
      pattern: "claim a session's meeting creation",
      key: `Update ${keyText(meetingKey('<id>'))} with \`attribute_not_exists(pk) OR (state = CREATING AND leaseUntil <= :now)\``,
      operation: 'UpdateItem',
    },
    {
      pattern: 'record the created meeting on the session',
      key: "the session's Put (`version` condition), the meeting's Update (`owner = :me AND state = CREATING`) and the Put of `ZOOM#<meetingId>` (unconditional: the claim makes it once per meeting, and Zoom may reuse an expired meeting's number) together",
      operation: 'TransactWriteItems',
    },
  ],
});

/** Which session a Zoom meeting belongs to (Zoom's webhooks name only the meeting). */
export const ZoomMeeting = entity({
  type: 'ZoomMeeting',
  about: 'ZoomMeeting (which session a Zoom meeting is; written with the meeting)',
  key: zoomMeetingKey,
  schema: z.object({ sessionId: z.string(), createdAt: z.string() }),
  sample: () => zoomMeetingKey('<meetingId>'),
  accessPatterns: () => [
    {
      pattern: "a Zoom webhook's session (`recording.completed` names only the meeting)",
      key: `${keyText(zoomMeetingKey('<meetingId>'))}, then the session's GetItem (its \`meetingId\` must still be that meeting)`,
      operation: 'GetItem',
    },
  ],
});

const fromItem = Meeting.parse;

export const getMeetingRecord = async (sessionId: string): Promise<MeetingRecord | undefined> => {
  const item = await getItem(Meeting.key(sessionId), { ConsistentRead: true });
  return item ? fromItem(item) : undefined;
};

export type Claim = { claimed: true; previous: MeetingRecord | undefined } | { claimed: false; record: MeetingRecord };

/**
 * Claims the creation for `owner` until `leaseUntil`: if nobody did, or the previous claim
 * is still CREATING and its lease ran out. `previous` is the claim taken over (a meeting may
 * exist at Zoom for it). Otherwise answers the record as it is.
 */
export const claimMeetingCreation = async (sessionId: string, owner: string, nowMs: number, leaseMs: number, at: string): Promise<Claim> => {
  try {
    const out = await updateItem({
      Key: Meeting.key(sessionId),
      UpdateExpression:
        'SET #type = :type, sessionId = :sid, provider = :provider, #state = :creating, #owner = :owner, leaseUntil = :until, ' +
        'attempts = if_not_exists(attempts, :zero) + :one, createdAt = if_not_exists(createdAt, :at), updatedAt = :at',
      ConditionExpression: 'attribute_not_exists(pk) OR (#state = :creating AND leaseUntil <= :now)',
      ExpressionAttributeNames: { '#type': 'type', '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: {
        ':type': Meeting.type,
        ':sid': sessionId,
        ':provider': 'ZOOM',
        ':creating': 'CREATING',
        ':owner': owner,
        ':until': nowMs + leaseMs,
        ':now': nowMs,
        ':zero': 0,
        ':one': 1,
        ':at': at,
      },
      ReturnValues: 'ALL_OLD',
    });
    return { claimed: true, previous: out.Attributes ? fromItem(out.Attributes) : undefined };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    const record = await getMeetingRecord(sessionId);
    if (!record) throw new InvalidStateError(`The meeting claim of session ${sessionId} vanished`);
    return { claimed: false, record };
  }
};

/** A failed attempt lets the next one in at once (the claim stays CREATING: a meeting may exist). */
export const releaseMeetingClaim = async (sessionId: string, owner: string, nowMs: number): Promise<void> => {
  try {
    await updateItem({
      Key: Meeting.key(sessionId),
      UpdateExpression: 'SET leaseUntil = :now',
      ConditionExpression: '#owner = :owner AND #state = :creating',
      ExpressionAttributeNames: { '#owner': 'owner', '#state': 'state' },
      ExpressionAttributeValues: { ':now': nowMs, ':owner': owner, ':creating': 'CREATING' },
    });
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

export interface CreatedMeeting {
  meetingId: string;
  joinUrl: string;
}

/**
 * Records the meeting `owner` created and puts it on the session, in one transaction: the
 * session only if nobody changed it since it was read (StaleSessionError), the meeting only
 * if `owner` still holds the claim (MeetingClaimLostError).
 */
export const recordCreatedMeeting = async (
  before: StoredSession,
  next: Session & Partial<SessionInternals>,
  owner: string,
  meeting: CreatedMeeting,
  at: string,
): Promise<StoredSession> => {
  const replaced = sessionReplacement(before, next);
  await transactWrite(
    [
      replaced.put,
      update({
        Key: Meeting.key(before.id),
        UpdateExpression: 'SET #state = :created, meetingId = :mid, joinUrl = :join, updatedAt = :at REMOVE startUrl',
        ConditionExpression: '#owner = :owner AND #state = :creating',
        ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':created': 'CREATED',
          ':creating': 'CREATING',
          ':owner': owner,
          ':mid': meeting.meetingId,
          ':join': meeting.joinUrl,
          ':at': at,
        },
      }),
      // Zoom's webhooks name only the meeting. No condition: the claim above makes this run once
      // per meeting, and Zoom may hand an expired meeting's number to a new meeting later.
      put({ Item: { ...ZoomMeeting.key(meeting.meetingId), ...ZoomMeeting.item({ sessionId: before.id, createdAt: at }) } }),
    ],
    (failed) => (failed.includes(1) ? new MeetingClaimLostError(before.id) : new StaleSessionError()),
  );
  return replaced.stored;
};

/** The claim's owner found no Zoom host free: the record says so, and later attempts make none. */
export const markNoMeetingHost = async (sessionId: string, owner: string, at: string): Promise<void> => {
  try {
    await updateItem({
      Key: Meeting.key(sessionId),
      UpdateExpression: 'SET #state = :nohost, updatedAt = :at',
      ConditionExpression: '#owner = :owner AND #state = :creating',
      ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
      ExpressionAttributeValues: { ':nohost': 'NO_HOST', ':creating': 'CREATING', ':owner': owner, ':at': at },
    });
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    throw new MeetingClaimLostError(sessionId);
  }
};

/** After the meeting was deleted at Zoom: the record says so (and the start URL is no longer shown). */
export const markMeetingDeleted = async (sessionId: string, meetingId: string, at: string): Promise<boolean> => {
  try {
    await updateItem({
      Key: Meeting.key(sessionId),
      UpdateExpression: 'SET #state = :deleted, updatedAt = :at REMOVE startUrl',
      ConditionExpression: 'meetingId = :mid AND #state = :created',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':deleted': 'DELETED', ':created': 'CREATED', ':mid': meetingId, ':at': at },
    });
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/** After the meeting was moved at Zoom to the session's `start`: the record says so, so the same move is not asked twice. */
export const markMeetingMoved = async (sessionId: string, meetingId: string, start: string, at: string): Promise<void> => {
  try {
    await updateItem({
      Key: Meeting.key(sessionId),
      UpdateExpression: 'SET syncedStart = :start, updatedAt = :at',
      ConditionExpression: 'meetingId = :mid AND #state = :created',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':start': start, ':created': 'CREATED', ':mid': meetingId, ':at': at },
    });
  } catch (e) {
    // Deleted meanwhile: nothing left to remember.
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
  }
};

/**
 * The session page: the session and its meeting record in one Query on the session's
 * partition (`MEETING` and `SESSION` are its two sort keys, in that order). `consistent`: as
 * of the latest write (a stream consumer acting on a change just made).
 */
export const getSessionWithMeeting = async (
  sessionId: string,
  opts: { consistent?: boolean } = {},
): Promise<{ session: StoredSession | undefined; meeting: MeetingRecord | undefined }> => {
  const { pk, sk } = sessionKey(sessionId);
  const out = await query({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :meeting AND :session',
    ExpressionAttributeValues: { ':pk': pk, ':meeting': MEETING_SK, ':session': sk },
    ...(opts.consistent ? { ConsistentRead: true } : {}),
  });
  const items = out.Items ?? [];
  const session = items.find((i) => i.sk === sk);
  const meeting = items.find((i) => i.sk === MEETING_SK);
  return { session: session ? SessionEntity.parse(session) : undefined, meeting: meeting ? fromItem(meeting) : undefined };
};
