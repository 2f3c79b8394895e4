import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { DEFAULT_STREAM_MEMORY_MB, STREAM_CONSUMER_DEFS, STREAM_CONSUMERS, type StreamConsumer } from '../../shared/streams/consumers';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { grantTableAccess } from './table-access';
import { deadLetterAlarm } from './dead-letter-alarm';

export interface TableStreamsProps {
  /** The table, with its stream (BookingTable). */
  table: Table;
}

/** `startWorkflow` → `StartWorkflow`. */
const pascal = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/**
 * The table stream's consumers (functions/streams/<consumer>.ts), one function and one event
 * source mapping each, as STREAM_CONSUMER_DEFS declares them (shared/streams/consumers.ts): the
 * filters (Lambda drops every other record before invoking), batch size, retries, record age,
 * timeout and memory. Each mapping reads from the oldest record the stream holds (TRIM_HORIZON:
 * nothing written between the stream's creation and the mapping's is missed). A failed record
 * is retried alone (the handlers report batch item failures; a batch that errors as a whole is
 * bisected) its declared number of times or until it is too old, then its stream position goes
 * to the consumer's dead-letter queue (SQS, encrypted, TLS only, kept 14 days).
 * `alarmOnDeadLetters` alarms on any message in either queue.
 *
 * Least privilege: each function is given here the table access its declaration names; the
 * rest of its `access` is granted by the stack (grantAccess, which has every target). Each reads
 * the stream and sends to its own queue (granted by the mapping).
 */
export class TableStreams extends Construct {
  readonly functions: Record<StreamConsumer, BookingFunction>;
  readonly deadLetterQueues: Record<StreamConsumer, Queue>;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: TableStreamsProps) {
    super(scope, id);
    this.functions = {} as Record<StreamConsumer, BookingFunction>;
    this.deadLetterQueues = {} as Record<StreamConsumer, Queue>;
    for (const consumer of STREAM_CONSUMERS) {
      const name = pascal(consumer);
      const def = STREAM_CONSUMER_DEFS[consumer];
      const dlq = new Queue(this, `${name}DeadLetters`, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      NagSuppressions.addResourceSuppressions(dlq, [
        { id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter (on-failure) destination of a stream mapping; nothing consumes it but operators' },
      ]);
      const fn = new BookingFunction(this, `${name}Function`, {
        entry: path.join(PROJECT_ROOT, 'functions', 'streams', `${consumer}.ts`),
        description: `Table stream: ${consumer}`,
        timeout: Duration.seconds(def.timeoutSeconds),
        memorySize: def.memoryMb ?? DEFAULT_STREAM_MEMORY_MB,
        environment: { [ENV.tableName]: props.table.tableName },
      });
      fn.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: def.batchSize,
          retryAttempts: def.retryAttempts,
          maxRecordAge: Duration.seconds(def.maxRecordAgeSeconds),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(dlq),
          filters: def.filters.map((pattern) => FilterCriteria.filter(pattern)),
        }),
      );
      grantTableAccess(props.table, fn, def.access.table);
      this.functions[consumer] = fn;
      this.deadLetterQueues[consumer] = dlq;
    }
  }

  /** An alarm per dead-letter queue: any message visible (a record given up on) notifies `topic`. */
  alarmOnDeadLetters(topic: ITopic): Alarm[] {
    for (const consumer of STREAM_CONSUMERS) {
      this.alarms.push(
        deadLetterAlarm(
          this,
          `${pascal(consumer)}DeadLettersAlarm`,
          this.deadLetterQueues[consumer],
          topic,
          `The table stream's ${consumer} consumer gave up on a record (its dead-letter queue is not empty): see the queue's message for the stream position`,
        ),
      );
    }
    return this.alarms;
  }
}
