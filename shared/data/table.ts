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
   * (starting a booking's workflow, pushing a notification; shared/streams/filters.ts). The
   * consumers need only what was written.
   */
  streamViewType: 'NEW_IMAGE',
  indexes: [
    /** A student's sessions, filed by dashboard bucket and time. */
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /** A tutor's sessions, filed by dashboard bucket and start time. */
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Collections: sessions by status (admin), tutors for browsing. */
    { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  ],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** The CreateTable request for DynamoDB Local (on-demand, every index projecting all attributes). */
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
      Projection: { ProjectionType: 'ALL' },
    })),
  };
};
