/**
 * `stop()` of the local stack finishes within a bounded time whatever is still in flight, and
 * DynamoDB Local is stopped with the rest: here a table stream consumer that never answers
 * (a push or a workflow start stuck on a call) is in flight when the stack is stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_AWS_ENV } from './aws/dynamo';
import { startLocalStack, STOP_BUDGET_MS, type LocalStack } from './start';

const dataDir = mkdtempSync(join(tmpdir(), 'stop-test-'));
let stack: LocalStack | undefined;
let consumerEntered!: () => void;
const inFlight = new Promise<void>((r) => (consumerEntered = r));

const client = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: LOCAL_AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    sfnPort: 0,
    schedulerPort: 0,
    paystackPort: 0,
    wsPort: 0,
    zoomPort: 0,
    oidcPort: 0,
    mailPort: 0,
    dataDir,
    tableName: 'stop-test',
    seed: false,
    log: false,
    // The workflow starter never answers.
    wrapFunction: (kind, name, fn) =>
      (kind === 'stream' && name === 'startWorkflow'
        ? () => {
            consumerEntered();
            return new Promise(() => undefined);
          }
        : fn) as typeof fn,
  });
}, 120_000);

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Stopping the local stack while a stream consumer is stuck', () => {
  it(
    'finishes within its budget and stops DynamoDB Local too',
    async () => {
      const ddb = client(stack!.dynamoEndpoint);
      // A new booking's main item: the workflow starter's record.
      await ddb.send(new PutItemCommand({ TableName: 'stop-test', Item: { pk: { S: 'SESSION#01STOPTEST' }, sk: { S: 'SESSION' }, type: { S: 'Session' } } }));
      await inFlight;
      const started = Date.now();
      const errors = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        await stack!.stop();
      } finally {
        errors.mockRestore();
      }
      expect(Date.now() - started).toBeLessThan(STOP_BUDGET_MS);
      await expect(ddb.send(new ListTablesCommand({}))).rejects.toThrow();
      ddb.destroy();
    },
    STOP_BUDGET_MS + 30_000,
  );
});
