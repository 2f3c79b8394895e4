/**
 * The table stream's consumers: the one list of them, and everything each may do, as the route
 * table is for routes. CDK builds one function and one event source mapping per entry
 * (infra/constructs/table-streams.ts) with its filters, its batch and retry settings, its timeout
 * and memory, and grants the function exactly what its `access` declares
 * (infra/constructs/function-access.ts); the local stack's poller reads the same entries.
 * Plain data and types only: the consumers' handlers import it, so the items' types are written
 * out (as their entities declare them) rather than imported with their entities' schemas.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { MEETING_SYNC_PREFIX, NOTIFICATION_PREFIX, REFUND_SK, sessionKey, WITHDRAWAL_SK, WITHDRAWAL_WATCH_SK, WORKFLOW_CALLBACK_PREFIX } from '../data/keys';
import type { FunctionAccess } from '../http/routes';
import { matches, type FilterPattern } from './filters';

/** The consumers, by the name of their handler module (functions/streams/<name>.ts). */
export const STREAM_CONSUMERS = ['startWorkflow', 'pushNotifications', 'requestRefunds', 'emailNotifications'] as const;
export type StreamConsumer = (typeof STREAM_CONSUMERS)[number];

export interface StreamConsumerDef {
  /**
   * Which table changes it handles: a record passes when it matches any of these. CDK turns them
   * into the mapping's FilterCriteria (Lambda drops the other records before invoking, so they
   * cost nothing); the local poller applies them in-process (./filters.ts `matches`).
   */
  filters: readonly FilterPattern[];
  /** Records per invocation. */
  batchSize: number;
  /** Retries of a failed record before it goes to the consumer's on-failure queue. */
  retryAttempts: number;
  /** The age past which a record goes to the on-failure queue unprocessed. */
  maxRecordAgeSeconds: number;
  /** How long one invocation may run: its records are handled one after the other. */
  timeoutSeconds: number;
  /** The function's memory; DEFAULT_STREAM_MEMORY_MB when not given. */
  memoryMb?: number;
  access: FunctionAccess;
}

export const DEFAULT_STREAM_MEMORY_MB = 512;

const SESSION_SK = sessionKey('').sk;

const NEW_NOTIFICATION: FilterPattern = { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: NOTIFICATION_PREFIX }] }, type: { S: ['Notification'] } } } };

/**
 * A workflow start is worth trying as long as the stream keeps the record (24 h); a push is a
 * courtesy (the inbox has the notification), stale after a few minutes. A refund owed is money:
 * asked for one at a time, as long as the stream keeps it; one Paystack keeps refusing goes to
 * the dead-letter queue (and its alarm) and stays OWED for an operator; a withdrawal's transfer
 * the same (it stays PENDING, its money held); a meeting sync the same (the meeting stays where
 * it was). An email is worth sending for hours (a payment deadline a day away); one SES keeps
 * refusing goes to the dead-letter queue. Stale reminders are dropped by the consumer itself.
 */
export const STREAM_CONSUMER_DEFS: Readonly<Record<StreamConsumer, StreamConsumerDef>> = {
  // The workflow's driver: a new booking (the session's main item, written once by
  // insertSession) starts its execution; a decision's callbacks (written once, in the
  // decision's transaction) resume or end it. Nothing else of a session invokes it.
  startWorkflow: {
    filters: [
      { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [SESSION_SK] }, type: { S: ['Session'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: WORKFLOW_CALLBACK_PREFIX }] }, type: { S: ['WorkflowCallback'] } } } },
    ],
    batchSize: 25,
    retryAttempts: 5,
    maxRecordAgeSeconds: 24 * 3600,
    timeoutSeconds: 30,
    // Starts a booking's execution, sends a decision's callbacks (task success or failure) and stops an execution a cancel
    // ended; reads the session (GetItem only) to keep its timeline's schedules.
    access: { table: ['GetItem'], workflow: ['start', 'callback', 'stop'], schedules: 'sync' },
  },
  // A notification stored in an inbox (never the unread counter or the dedupe marker): it is pushed.
  pushNotifications: {
    filters: [NEW_NOTIFICATION],
    batchSize: 10,
    retryAttempts: 5,
    maxRecordAgeSeconds: 10 * 60,
    // A push may wait PUSH_TIMEOUT_MS (3 s) on a connection that does not answer.
    timeoutSeconds: 60,
    // Queries the user's connections and deletes the gone ones; the only function but $default that may post to connections.
    access: { table: ['Query', 'DeleteItem'], webSocket: 'push' },
  },
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
  requestRefunds: {
    filters: [
      { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [REFUND_SK] }, type: { S: ['Refund'] }, status: { S: ['OWED'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [WITHDRAWAL_SK] }, type: { S: ['Withdrawal'] }, status: { S: ['PENDING'] } } } },
      { eventName: ['REMOVE'], dynamodb: { Keys: { sk: { S: [WITHDRAWAL_WATCH_SK] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { sk: { S: [{ prefix: MEETING_SYNC_PREFIX }] }, type: { S: ['MeetingSync'] } } } },
    ],
    batchSize: 1,
    retryAttempts: 10,
    maxRecordAgeSeconds: 24 * 3600,
    // A refund request makes a few Paystack calls (the refunds list, the refund, maybe a verify), each up to about 22 s with
    // the client's retries (shared/integrations/paystack.ts); a transfer the transfer and maybe a Verify Transfer, each as
    // long; a meeting's move or delete is one Zoom call.
    timeoutSeconds: 120,
    // The refund owed and its payment; a withdrawal, the wallet, and a notification when Paystack refused it for good (so
    // puts); a session with its meeting record (one Query of the session's partition). Paystack's and Zoom's APIs.
    access: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], paystack: 'api', zoom: 'api' },
  },
  // The same new inbox items as the pushes, by a mapping of their own: a slow SES never delays a push.
  emailNotifications: {
    filters: [NEW_NOTIFICATION],
    batchSize: 10,
    retryAttempts: 8,
    maxRecordAgeSeconds: 6 * 3600,
    // Up to 10 records, each a few reads and writes and one SendEmail of at most SES_TIMEOUT_MS (10 s).
    timeoutSeconds: 120,
    // Reads the user, their preferences, the session and a suppression; puts, updates and deletes its send claims; sends.
    access: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], email: 'send' },
  },
};

export const isFor = (consumer: StreamConsumer, record: DynamoDBRecord): boolean => STREAM_CONSUMER_DEFS[consumer].filters.some((p) => matches(p, record));
