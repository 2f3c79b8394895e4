/**
 * Meeting syncs: a move or a cancel of a session that has (or may be getting) a video meeting
 * stores, in its own transaction, that the meeting must follow; the table stream does it
 * (syncSessionMeeting, shared/usecases/meetings.ts), with the consumer's retries and
 * dead-letter queue. The item names no time or outcome: the consumer reads the session as it
 * is by then, so records handled late, twice or after a later move leave the meeting where
 * the session is. The item expires once the stream no longer holds its record.
 */
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { entity } from './entity';
import { meetingSyncKey } from './keys';
import { streamSignalExpiresAt, streamSignalPut } from './ops';
import type { TransactItem } from './transact';

/** Read back only by the stream's consumer, through the record's session id. */
export const MeetingSyncEntity = entity({
  type: 'MeetingSync',
  about: 'MeetingSync (a move or cancel the session’s Zoom meeting must follow; the stream does it; TTL `expiresAt` 3 days on)',
  key: meetingSyncKey,
  schema: z.object({ sessionId: z.string(), createdAt: z.string(), expiresAt: z.number() }),
  sample: () => ({ pk: meetingSyncKey('<id>', 0).pk, sk: meetingSyncKey('', 0).sk.replace(/\d+$/, '<version, 6 digits>') }),
  accessPatterns: () => [
    {
      pattern: "a moved or cancelled session's Zoom meeting follows",
      key: "Put `ZOOM_SYNC#<version>` in the move's or cancel's transaction; the table's stream, consumer `requestRefunds` (`INSERT` of `type = MeetingSync`), moves or deletes the meeting",
      operation: 'TransactWriteItems, DynamoDB Streams',
    },
  ],
});

export const MEETING_SYNC_TYPE = MeetingSyncEntity.type;

export interface MeetingSyncItem {
  sessionId: string;
  createdAt: string;
}

/**
 * Whether the session may have a meeting at Zoom: one is recorded, a host was held for one, or
 * it is paid (the meeting step may be making one right now; it also checks the session when
 * it records the meeting, and moves or deletes what it made).
 */
export const mayHaveMeeting = (s: Pick<Session, 'meetingId' | 'paymentStatus'> & { meetingHost?: string }): boolean =>
  Boolean(s.meetingId || s.meetingHost) || s.paymentStatus === 'PAID' || s.paymentStatus === 'REFUNDED';

/**
 * The Put of a meeting sync, keyed by the session version the change writes (a transaction
 * that lost a race writes none). A session that can have no meeting gets none.
 */
export const meetingSyncPuts = (before: Parameters<typeof mayHaveMeeting>[0] & Pick<Session, 'id'>, version: number, at: string): TransactItem[] =>
  mayHaveMeeting(before)
    ? [streamSignalPut(MeetingSyncEntity.key(before.id, version), MeetingSyncEntity.item({ sessionId: before.id, createdAt: at, expiresAt: streamSignalExpiresAt(at) }))]
    : [];
