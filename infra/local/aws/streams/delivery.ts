/**
 * Lambda's delivery of a batch of stream records to one consumer: retried from the first failed
 * record (a reported batch item failure, or a throw for the whole batch) up to the mapping's
 * retries, then sent to the dead letters; records older than its maximum age are not delivered.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StreamConsumer } from '../../../../shared/streams/consumers';
import { asInvocation } from '../lambda/invocation-scope';
import { lambdaContext } from './records';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | undefined>;

export interface DeadLetter {
  consumer: StreamConsumer;
  record: DynamoDBRecord;
  reason: string;
}

export interface DeliveryOptions {
  consumer: StreamConsumer;
  handler: StreamHandler;
  retries: number;
  retryDelayMs: number;
  maxRecordAgeSeconds: number;
  /** Where dead letters go (locally the DLQ is this list and a log line). */
  deadLetters: DeadLetter[];
  log: (line: string) => void;
  stopped: () => boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delivers one batch, resolving once every record is handled or dead-lettered (or the poller stops). */
export const batchDelivery = (o: DeliveryOptions) => {
  const { consumer, retries } = o;
  const deadLetter = (record: DynamoDBRecord, reason: string, quiet = false) => {
    o.deadLetters.push({ consumer, record, reason });
    if (!quiet) o.log(JSON.stringify({ level: 'ERROR', message: 'Stream record sent to the DLQ', consumer, reason, eventID: record.eventID, keys: record.dynamodb?.Keys }));
  };
  const tooOld = (r: DynamoDBRecord) => (r.dynamodb?.ApproximateCreationDateTime ?? Infinity) * 1000 < Date.now() - o.maxRecordAgeSeconds * 1000;

  return async (batch: DynamoDBRecord[]): Promise<void> => {
    let pending = batch;
    let attempt = 0;
    while (pending.length > 0 && !o.stopped()) {
      // One line for them all: after a restart the stream replays what it kept.
      let stale = 0;
      while (pending[0] && tooOld(pending[0])) {
        deadLetter(pending[0], 'older than the maximum record age', true);
        pending = pending.slice(1);
        stale += 1;
      }
      if (stale > 0) o.log(JSON.stringify({ level: 'WARN', message: `${stale} stream record(s) older than the maximum record age sent to the DLQ`, consumer }));
      if (pending.length === 0) return;
      let failedAt: number;
      let reason: string;
      try {
        const context = lambdaContext(consumer);
        const res = await asInvocation(context, () => o.handler({ Records: pending }, context));
        const failures = (res?.batchItemFailures ?? []).map((f) => pending.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier));
        if (failures.length === 0) return;
        // An identifier that names no record of the batch fails the whole batch, as in Lambda.
        failedAt = failures.includes(-1) ? 0 : Math.min(...failures);
        reason = 'reported as a batch item failure';
      } catch (e) {
        failedAt = 0;
        reason = `the handler threw: ${String(e)}`;
      }
      if (failedAt > 0) attempt = 0;
      pending = pending.slice(failedAt);
      attempt += 1;
      if (attempt > retries) {
        deadLetter(pending[0]!, `${reason} (${retries} retries)`);
        pending = pending.slice(1);
        attempt = 0;
      } else {
        await sleep(o.retryDelayMs * attempt);
      }
    }
  };
};
