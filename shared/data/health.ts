/**
 * GET /health's read: one eventually consistent GetItem of a fixed key (half a read unit; the
 * item need not exist), the only thing that function may do on the table
 * (infra/constructs/table-access.ts). It loads the bare DynamoDB client and nothing else of
 * the data layer, so the probe pays no cold start for the middy chain or the document client.
 * A dead table must not hold the probe for the SDK's default (no) timeout: a short one, one retry.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { healthKey } from './keys';

const TIMEOUT_MS = 1_000;

let client: DynamoDBClient | undefined;
const table = () => (client ??= new DynamoDBClient({ maxAttempts: 2, requestHandler: { connectionTimeout: TIMEOUT_MS, requestTimeout: TIMEOUT_MS } }));

/** Resolves when the table answered; throws what the SDK threw when it did not. */
export const readHealthItem = async (): Promise<void> => {
  await table().send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: healthKey().pk }, sk: { S: healthKey().sk } }, ProjectionExpression: 'pk' }));
};
