/**
 * The table stream's event source mappings, locally: reads DynamoDB Local's stream and invokes
 * the consumers (functions/streams/*) in-process, as AWS would. Each consumer reads every shard
 * itself (./shards.ts), a child once its parent is finished; GetRecords backs off while the
 * stream is quiet and a write by the in-process handlers wakes it. Records are filtered with the
 * mappings' patterns (shared/streams/consumers.ts), batched, retried from the first failure, then
 * logged as "sent to the DLQ" (./delivery.ts). Nothing is persisted: shards seen at start are
 * read from `from` (TRIM_HORIZON replays what the stream holds, which the consumers take
 * calmly), so a booking written while the stack was down still gets its workflow.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { isFor, STREAM_CONSUMER_DEFS, STREAM_CONSUMERS, type StreamConsumer } from '../../../../shared/streams/consumers';
import { LOCAL_AWS_ENV } from '../dynamo';
import { batchDelivery, type DeadLetter, type StreamHandler } from './delivery';
import { clientConfig, ensureStream, toLambdaRecord } from './records';
import { shardReader } from './shards';

export { toLambdaRecord } from './records';
export type { DeadLetter, StreamHandler } from './delivery';

/** The deployed consumers, loaded in-process (the modules CDK deploys as functions/streams/<name>.ts). */
export const streamHandlers = async (): Promise<Record<StreamConsumer, StreamHandler>> => {
  const [start, push, refunds, email] = await Promise.all([
    import('../../../../functions/streams/startWorkflow'),
    import('../../../../functions/streams/pushNotifications'),
    import('../../../../functions/streams/requestRefunds'),
    import('../../../../functions/streams/emailNotifications'),
  ]);
  return { startWorkflow: start.handler, pushNotifications: push.handler, requestRefunds: refunds.handler, emailNotifications: email.handler };
};

export interface TableStreamsOptions {
  /** DynamoDB Local. Default: AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint?: string;
  tableName: string;
  /** The consumers to run. Default: every one of STREAM_CONSUMERS, from `streamHandlers()`. */
  handlers?: Partial<Record<StreamConsumer, StreamHandler>>;
  /** Where to read the shards seen at start. Default: TRIM_HORIZON. */
  from?: 'TRIM_HORIZON' | 'LATEST';
  /** Between polls that found records: 50 ms. Each empty poll doubles the wait, up to `maxIntervalMs` (1 s). */
  intervalMs?: number;
  maxIntervalMs?: number;
  /** Wait before retrying a failed record (times the attempt). Default: 50 ms. */
  retryDelayMs?: number;
  /**
   * After a failed read of the stream (DynamoDB Local gone, refusing connections): the first
   * wait, doubled after each failure in a row up to `maxErrorBackoffMs`. Default 500 ms, 30 s.
   */
  errorBackoffMs?: number;
  maxErrorBackoffMs?: number;
  /**
   * Only records passing this (besides the consumers' filters) reach the consumers: for a run
   * that writes items straight to the table which must not start anything (seeded history).
   */
  where?: (record: DynamoDBRecord) => boolean;
  /** Retries before a record is dead-lettered. Default: the mapping's (STREAM_CONSUMER_DEFS). */
  retryAttempts?: number;
  /** Default: stderr, one line per dead letter and poll error; `false` silences it. */
  log?: ((line: string) => void) | false;
  /**
   * The in-process handlers' DynamoDB client (`ddb`): each write it makes wakes the consumers
   * at once instead of at the next poll, so a booking's workflow starts as promptly as it did
   * when the request started it (time-compressed workflow tests notice a 50 ms delay).
   */
  wakeOnWritesOf?: { middlewareStack: { add: (mw: never, opts: { step: 'initialize'; name: string }) => void; remove: (name: string) => boolean } };
}

const WRITES = /^(PutItem|UpdateItem|DeleteItem|TransactWriteItems|BatchWriteItem)Command$/;

export interface TableStreams {
  streamArn: string;
  /** Every record each consumer gave up on (locally the DLQ is this list and a log line). */
  deadLetters: DeadLetter[];
  /** Resolves once every consumer has read the stream to its end and handled what it found. */
  idle: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

export const startTableStreams = async (opts: TableStreamsOptions): Promise<TableStreams> => {
  const endpoint = opts.endpoint ?? process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!endpoint) throw new Error('startTableStreams needs the DynamoDB Local endpoint (AWS_ENDPOINT_URL_DYNAMODB)');
  const streamArn = await ensureStream(endpoint, opts.tableName);
  const handlers = opts.handlers ?? (await streamHandlers());
  const client = new DynamoDBStreamsClient(clientConfig(endpoint));
  const region = process.env.AWS_REGION ?? LOCAL_AWS_ENV.AWS_REGION;
  const interval = opts.intervalMs ?? 50;
  const maxInterval = Math.max(interval, opts.maxIntervalMs ?? 1_000);
  const retryDelay = opts.retryDelayMs ?? 50;
  const errorBackoff = opts.errorBackoffMs ?? 500;
  const maxErrorBackoff = Math.max(errorBackoff, opts.maxErrorBackoffMs ?? 30_000);
  const log = opts.log === false ? () => undefined : (opts.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const deadLetters: DeadLetter[] = [];
  let stopped = false;
  const wakers = new Set<() => void>();
  const wakeAll = () => {
    for (const w of wakers) w();
  };
  const middlewareName = `tableStreamsWake-${randomUUID()}`;
  opts.wakeOnWritesOf?.middlewareStack.add(
    ((next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const out = await next(args);
      // After the writer's own continuation (setImmediate): the request that wrote answers
      // before the consumers' reads compete with it for the one process.
      if (WRITES.test(context.commandName ?? '')) setImmediate(wakeAll);
      return out;
    }) as never,
    { step: 'initialize', name: middlewareName },
  );

  /** One mapping: reads every shard, hands its records to `handler` (./delivery.ts), polls faster while busy or woken. */
  const consume = (consumer: StreamConsumer, handler: StreamHandler) => {
    const settings = STREAM_CONSUMER_DEFS[consumer];
    const retries = opts.retryAttempts ?? settings.retryAttempts;
    const shards = shardReader(client, streamArn, opts.from ?? 'TRIM_HORIZON');
    let waiters: (() => void)[] = [];
    // A write seen during a cycle makes the next one start at once.
    let woken = false;
    let wakeNap: (() => void) | undefined;
    const wake = () => {
      woken = true;
      wakeNap?.();
    };
    wakers.add(wake);
    const nap = (ms: number) =>
      new Promise<void>((resolve) => {
        if (woken) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeNap = undefined;
          resolve();
        }
        wakeNap = done;
      });

    const deliver = batchDelivery({
      consumer,
      handler,
      retries,
      retryDelayMs: retryDelay,
      maxRecordAgeSeconds: settings.maxRecordAgeSeconds,
      deadLetters,
      log,
      stopped: () => stopped,
    });
    /** One pass over the shards: each record for this consumer, in batches of the mapping's size. */
    const cycle = () =>
      shards.readOnce(
        async (raw) => {
          const mine = raw.map((r) => toLambdaRecord(r, streamArn, region)).filter((r) => isFor(consumer, r) && (opts.where?.(r) ?? true));
          for (let i = 0; i < mine.length; i += settings.batchSize) await deliver(mine.slice(i, i + settings.batchSize));
        },
        () => stopped,
      );

    const loop = (async () => {
      let pause = interval;
      let failures = 0;
      while (!stopped) {
        const waiting = waiters;
        waiters = [];
        woken = false;
        let busy: boolean;
        try {
          busy = await cycle();
          failures = 0;
        } catch (e) {
          if (stopped) break;
          // Backs off while the table is unreachable: it may be gone for good (the stack
          // reports a DynamoDB Local that died), and polling it flat out helps nobody.
          failures += 1;
          const retryInMs = Math.min(maxErrorBackoff, errorBackoff * 2 ** (failures - 1));
          log(JSON.stringify({ level: 'WARN', message: 'Reading the table stream failed; trying again', consumer, failures, retryInMs, error: String(e) }));
          // Whoever waits for the consumer to catch up waits on.
          waiters.push(...waiting);
          await nap(retryInMs);
          continue;
        }
        // Only a cycle that began after the wait and found nothing proves the consumer caught up.
        if (busy) waiters.push(...waiting);
        else for (const w of waiting) w();
        const wasWoken = woken;
        pause = busy || wasWoken ? interval : Math.min(pause * 2, maxInterval);
        if (!busy) await nap(pause);
      }
      wakers.delete(wake);
      for (const w of waiters) w();
    })();

    return {
      loop,
      idle: () => {
        const done = new Promise<void>((r) => waiters.push(r));
        // No need to sit out a backed-off pause: look now.
        wake();
        return done;
      },
    };
  };

  const consumers = STREAM_CONSUMERS.flatMap((c) => (handlers[c] ? [consume(c, handlers[c])] : []));
  return {
    streamArn,
    deadLetters,
    idle: async (timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The table stream's consumers were still busy after ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([Promise.all(consumers.map((c) => c.idle())), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    stop: async () => {
      stopped = true;
      opts.wakeOnWritesOf?.middlewareStack.remove(middlewareName);
      wakeAll();
      await Promise.all(consumers.map((c) => c.loop));
      client.destroy();
    },
  };
};
