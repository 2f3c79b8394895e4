/**
 * The table stream's consumers for a test file: the local stack's poller
 * (infra/local/aws/streams/poller.ts) on this file's table, running the real handlers of
 * functions/streams/ in-process. Without it nothing is pushed and no booking's workflow
 * starts. Register it before useTestTable(): hooks run in declaration order, so it stops
 * before the table is deleted.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { ensureTable } from '../../infra/local/aws/dynamo';
import { startTableStreams, streamHandlers, type StreamHandler, type TableStreams } from '../../infra/local/aws/streams/poller';
import type { StreamConsumer } from '../../shared/streams/consumers';

export interface StreamsOptions {
  /** Which consumers run. Default: all. */
  consumers?: StreamConsumer[];
  /** Only these records reach the consumers (e.g. not the sessions a file writes straight to the table). */
  where?: (record: DynamoDBRecord) => boolean;
  /** Wraps each handler (to inject faults); asked for again at start. */
  wrap?: () => ((consumer: StreamConsumer, handler: StreamHandler) => StreamHandler) | undefined;
  retryAttempts?: number;
}

export const useTableStreams = (opts: StreamsOptions = {}) => {
  const harness = {} as { streams: TableStreams; idle: (timeoutMs?: number) => Promise<void> };
  beforeAll(async () => {
    await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB!, process.env.TABLE_NAME!);
    const all = await streamHandlers();
    const wrap = opts.wrap?.();
    const handlers: Partial<Record<StreamConsumer, StreamHandler>> = {};
    for (const consumer of opts.consumers ?? (Object.keys(all) as StreamConsumer[])) {
      const handler = all[consumer];
      handlers[consumer] = wrap ? wrap(consumer, handler) : handler;
    }
    const { ddb } = await import('../../shared/data/client');
    harness.streams = await startTableStreams({
      tableName: process.env.TABLE_NAME!,
      handlers,
      wakeOnWritesOf: ddb,
      log: false,
      ...(opts.where ? { where: opts.where } : {}),
      ...(opts.retryAttempts !== undefined ? { retryAttempts: opts.retryAttempts } : {}),
    });
  });
  afterAll(async () => {
    await harness.streams?.stop();
  });
  harness.idle = (timeoutMs) => harness.streams.idle(timeoutMs);
  return harness;
};
