/**
 * Which table changes each stream consumer handles, said once: CDK turns these patterns into
 * the event source mappings' FilterCriteria (Lambda drops the other records before invoking,
 * so they cost nothing), and the local stack's poller applies the same patterns in-process
 * with `matches` below. Only the subset of Lambda's filter syntax used here is supported:
 * nested objects (every key must match), and arrays of allowed values, each an exact string
 * or `{ prefix }`.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { MEETING_SYNC_PREFIX, NOTIFICATION_PREFIX, REFUND_SK, sessionKey, WITHDRAWAL_SK, WITHDRAWAL_WATCH_SK, WORKFLOW_CALLBACK_PREFIX } from '../data/keys';
import { MEETING_SYNC_TYPE } from '../data/meeting-sync';
import { WORKFLOW_CALLBACK_TYPE } from '../data/workflow-callbacks';

export type AllowedValue = string | { prefix: string };
export interface FilterPattern {
  [key: string]: AllowedValue[] | FilterPattern;
}

/** The consumers, by the name of their handler module (functions/streams/<name>.ts). */
export const STREAM_CONSUMERS = ['startWorkflow', 'pushNotifications', 'requestRefunds', 'emailNotifications'] as const;
export type StreamConsumer = (typeof STREAM_CONSUMERS)[number];

const SESSION_SK = sessionKey('').sk;

const NEW_NOTIFICATION: FilterPattern = { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: NOTIFICATION_PREFIX }] }, type: { S: ['Notification'] } } } };

/** A record passes when it matches any of its consumer's patterns. */
export const STREAM_FILTERS: Readonly<Record<StreamConsumer, readonly FilterPattern[]>> = {
  // The workflow's driver: a new booking (the session's main item, written once by
  // insertSession) starts its execution; a decision's callbacks (written once, in the
  // decision's transaction) resume or end it. Nothing else of a session invokes it.
  startWorkflow: [
    { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [SESSION_SK] }, type: { S: ['Session'] } } } },
    { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: WORKFLOW_CALLBACK_PREFIX }] }, type: { S: [WORKFLOW_CALLBACK_TYPE] } } } },
  ],
  // A notification stored in an inbox (never the unread counter or the dedupe marker): it is pushed.
  pushNotifications: [NEW_NOTIFICATION],
  // A refund recorded as owed: it is asked of Paystack. Only the INSERT: the record's later
  // changes (a failed attempt noted on it, its settling) must not ask again.
  //
  // The same consumer asks Paystack for the transfers of new withdrawals (INSERT of a PENDING
  // one: a retry's new withdrawal included; later changes never ask again), and looks at a
  // withdrawal whose day-old watch DynamoDB's TTL removed (the stream's REMOVE carries only
  // the keys). One function, one queue, one alarm for all of Paystack's outbound money.
  //
  // And the Zoom meeting a move or a cancel left to follow (the INSERT of its meeting sync,
  // written once in that transaction): the request never waits for Zoom, and a Zoom outage
  // is retried like Paystack's.
  requestRefunds: [
    { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [REFUND_SK] }, type: { S: ['Refund'] }, status: { S: ['OWED'] } } } },
    { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [WITHDRAWAL_SK] }, type: { S: ['Withdrawal'] }, status: { S: ['PENDING'] } } } },
    { eventName: ['REMOVE'], dynamodb: { Keys: { sk: { S: [WITHDRAWAL_WATCH_SK] } } } },
    { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: MEETING_SYNC_PREFIX }] }, type: { S: [MEETING_SYNC_TYPE] } } } },
  ],
  // The same new inbox items as the pushes, by a mapping of their own: a slow SES never delays a push.
  emailNotifications: [NEW_NOTIFICATION],
};

const allowed = (values: AllowedValue[], actual: unknown): boolean =>
  typeof actual === 'string' && values.some((v) => (typeof v === 'string' ? v === actual : actual.startsWith(v.prefix)));

/** Lambda's semantics for the supported subset: every key of the pattern must be present and match. */
export const matches = (pattern: FilterPattern, value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const obj = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, p]) => (Array.isArray(p) ? allowed(p, obj[key]) : matches(p, obj[key])));
};

export const isFor = (consumer: StreamConsumer, record: DynamoDBRecord): boolean => STREAM_FILTERS[consumer].some((p) => matches(p, record));

/**
 * How each consumer reads the stream, for the event source mappings and the local poller alike:
 * records per invocation, retries of a failed record before it goes to the on-failure queue,
 * and the age past which a record goes there unprocessed. A workflow start is worth trying as
 * long as the stream keeps the record (24 h); a push is a courtesy (the inbox has the
 * notification), stale after a few minutes. A refund owed is money: asked for one at a time,
 * as long as the stream keeps it; one Paystack keeps refusing goes to the dead-letter queue
 * (and its alarm) and stays OWED for an operator; a withdrawal's transfer the same (it stays
 * PENDING, its money held); a meeting sync the same (the meeting stays where it was). An email is worth sending for hours (a
 * payment deadline a day away); one SES keeps refusing goes to the dead-letter queue. Stale
 * reminders are dropped by the consumer itself.
 */
export const STREAM_SETTINGS: Readonly<Record<StreamConsumer, { batchSize: number; retryAttempts: number; maxRecordAgeSeconds: number }>> = {
  startWorkflow: { batchSize: 25, retryAttempts: 5, maxRecordAgeSeconds: 24 * 3600 },
  pushNotifications: { batchSize: 10, retryAttempts: 5, maxRecordAgeSeconds: 10 * 60 },
  requestRefunds: { batchSize: 1, retryAttempts: 10, maxRecordAgeSeconds: 24 * 3600 },
  emailNotifications: { batchSize: 10, retryAttempts: 8, maxRecordAgeSeconds: 6 * 3600 },
};
