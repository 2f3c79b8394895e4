/**
 * The table stream's poller when DynamoDB Local is gone: it backs off (each wait twice the one
 * before, up to a cap) instead of calling a dead endpoint flat out, says so in each warning,
 * and still stops at once. A DynamoDB Local of its own, since this file stops it.
 */
import { ensureTable, startDynamoLocal, type DynamoLocal } from '../dynamo';
import { startTableStreams, type TableStreams } from './poller';

let dynamo: DynamoLocal;
let streams: TableStreams | undefined;

beforeAll(async () => {
  dynamo = await startDynamoLocal();
  await ensureTable(dynamo.endpoint, 'streams-outage');
}, 90_000);

afterAll(async () => {
  await streams?.stop();
  await dynamo.stop();
});

describe('The stream poller when DynamoDB Local has died', () => {
  it('backs off, doubling its wait up to the cap, and stops at once', async () => {
    const warnings: { message: string; failures: number; retryInMs: number }[] = [];
    let sixth!: () => void;
    const sixFailures = new Promise<void>((r) => (sixth = r));
    streams = await startTableStreams({
      endpoint: dynamo.endpoint,
      tableName: 'streams-outage',
      handlers: { startWorkflow: async () => ({ batchItemFailures: [] }) },
      errorBackoffMs: 20,
      maxErrorBackoffMs: 200,
      log: (line) => {
        const entry = JSON.parse(line) as (typeof warnings)[number];
        if (entry.message.startsWith('Reading the table stream failed')) warnings.push(entry);
        if (warnings.length === 6) sixth();
      },
    });
    await dynamo.stop();
    await sixFailures;
    expect(warnings.slice(0, 6).map((w) => [w.failures, w.retryInMs])).toEqual([
      [1, 20],
      [2, 40],
      [3, 80],
      [4, 160],
      [5, 200],
      [6, 200],
    ]);
    const stopping = Date.now();
    await streams.stop();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  }, 60_000);
});
