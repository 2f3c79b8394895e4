/**
 * The middy chain of the table stream's consumers (observability first, shared/observability/
 * invocation.ts, with the key `consumer`). Records are handled one at a time, in
 * stream order; the first that fails is reported (ReportBatchItemFailures) and the rest of
 * the batch is left alone: Lambda retries from that record, so the ones after it come again
 * and must not have been acted on (a push sent now would be sent twice). After the mapping's
 * retries the record goes to the consumer's on-failure queue (infra/constructs/table-streams.ts).
 */
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { itemFromStreamImage } from '../data/stream-image';
import { observe } from '../observability/invocation';
import { logger } from '../observability/logger';
import { isFor, type StreamConsumer } from './consumers';

export type RecordHandler = (item: Record<string, unknown>, record: DynamoDBRecord) => Promise<void>;

export const streamHandler = (consumer: StreamConsumer, handle: RecordHandler) =>
  middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      // A removal (a TTL expiry) has no new image: its keys are all there is.
      const image = record.eventName === 'REMOVE' ? record.dynamodb?.Keys : record.dynamodb?.NewImage;
      // The mapping's filter lets only these through; anything else is no work of ours.
      if (!image || !isFor(consumer, record)) continue;
      try {
        await handle(itemFromStreamImage(image), record);
      } catch (e) {
        logger.error('Stream record not handled; it will be retried', {
          eventID: record.eventID,
          sequenceNumber: record.dynamodb?.SequenceNumber,
          keys: record.dynamodb?.Keys,
          error: e as Error,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  }).use(observe<DynamoDBStreamEvent, DynamoDBBatchResponse>({ keysOf: () => ({ consumer }) }));
