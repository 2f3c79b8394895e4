/**
 * The one table, described once. CDK builds the real table from this and the local stack
 * and the tests create theirs from it, so the key schema cannot drift between them.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB's TTL deletes expired items (WebSocket connections, idempotency records). */
  ttlAttribute: 'expiresAt',
  /**
   * The change stream: new items drive the work that used to follow a write in the request
   * (starting a booking's workflow, pushing a notification; shared/streams/consumers.ts). The
   * consumers need only what was written.
   */
  streamViewType: 'NEW_IMAGE',
  /**
   * Every write of an item an index holds is paid again in the index when it changes a key or
   * a projected attribute. The dashboards' indexes hold only what a dashboard shows, so the
   * session writes that change nothing shown (the workflow's task tokens, the version) are
   * paid once, in the table. A projection cannot be changed in place: a changed one is a new
   * index, with a new name (DynamoDB fills it from the table).
   */
  indexes: [
    /** A student's sessions, filed by dashboard bucket and time. */
    { id: 'gsi1', name: 'gsi1-listed', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'SESSION_FIELDS' },
    /** A tutor's sessions, filed by dashboard bucket and start time; a tutor's withdrawals. */
    { id: 'gsi2', name: 'gsi2-listed', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'TUTOR_LISTS' },
    /**
     * Collections: sessions by status (admin), tutors for browsing, applications, refunds owed.
     * All attributes: five kinds of item share it, and their listed fields together exceed the
     * 100 projected attributes DynamoDB allows across a table's indexes.
     */
    { id: 'gsi3', name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'ALL' },
  ],
} as const;

export type IndexId = (typeof TABLE.indexes)[number]['id'];
export type IndexName = (typeof TABLE.indexes)[number]['name'];

export const indexOf = (id: IndexId) => TABLE.indexes.find((i) => i.id === id)!;

/**
 * What a session list shows (every field of the API's session, shared/schemas/session.ts
 * `sessionResponse`): the dashboards' indexes project these and no more. A session field the
 * API shows must be added here too (a unit test compares them).
 */
export const SESSION_FIELDS = [
  'id',
  'studentId',
  'tutorId',
  'student',
  'tutor',
  'title',
  'notes',
  'scheduledAt',
  'durationMinutes',
  'bufferMinutes',
  'price',
  'bookingMode',
  'status',
  'paymentStatus',
  'meetingUrl',
  'meetingId',
  'approvalNotes',
  'rejectedAt',
  'approvalDeadline',
  'approvedAt',
  'paymentDeadline',
  'cancellationReason',
  'cancelledAt',
  'cancelledBy',
  'reviewedAt',
  'paymentReference',
  'reminderSentFor',
  'createdAt',
  'updatedAt',
] as const;

/**
 * What a tutor's withdrawal list shows beyond the fields a session shares with it (every field
 * of shared/schemas/payouts.ts `withdrawalResponse`; a unit test compares them).
 */
export const WITHDRAWAL_ONLY_FIELDS = ['withdrawalId', 'reference', 'amount', 'failureReason', 'bankName', 'accountNumberLast4', 'retryOf', 'retriedAs', 'settledAt'] as const;

const PROJECTIONS = {
  SESSION_FIELDS: [...SESSION_FIELDS],
  TUTOR_LISTS: [...SESSION_FIELDS, ...WITHDRAWAL_ONLY_FIELDS],
} as const;

/** An index's Projection, for CreateTable and CDK alike. */
export const projectionOf = (index: (typeof TABLE.indexes)[number]): { ProjectionType: 'ALL' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] } =>
  index.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...PROJECTIONS[index.projection]] };

/** The CreateTable request for DynamoDB Local (on-demand, the indexes projecting what TABLE says). */
export const createTableInput = (tableName: string): CreateTableCommandInput => {
  const attributes = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamViewType },
    AttributeDefinitions: attributes.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [
        { AttributeName: i.partitionKey, KeyType: 'HASH' },
        { AttributeName: i.sortKey, KeyType: 'RANGE' },
      ],
      Projection: projectionOf(i),
    })),
  };
};
