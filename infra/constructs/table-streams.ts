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
import { STREAM_CONSUMERS, STREAM_FILTERS, STREAM_SETTINGS, type StreamConsumer } from '../../shared/streams/filters';
import { BookingFunction } from './booking-function';
import type { BookingWebSocket } from './booking-websocket';
import type { BookingWorkflow } from './booking-workflow';
import { PROJECT_ROOT } from './paths';
import type { Paystack } from './paystack';
import type { Zoom } from './zoom';
import { deadLetterAlarm } from './dead-letter-alarm';

export interface TableStreamsProps {
  /** The table, with its stream (BookingTable). */
  table: Table;
  workflow: BookingWorkflow;
  webSocket: BookingWebSocket;
  paystack: Paystack;
  zoom: Zoom;
}

/**
 * How long one invocation may run: records are handled one after the other, and a push may
 * wait PUSH_TIMEOUT_MS (3 s) on a connection that does not answer. A refund request makes a
 * few Paystack calls (the refunds list, the refund, maybe a verify), each up to about 22 s
 * with the client's retries (shared/integrations/paystack.ts).
 */
const TIMEOUTS: Record<StreamConsumer, Duration> = {
  startWorkflow: Duration.seconds(30),
  pushNotifications: Duration.seconds(60),
  // A transfer: the transfer and maybe a Verify Transfer, each as long (a meeting's move or delete is one Zoom call).
  requestRefunds: Duration.seconds(120),
  // Up to 10 records, each a few reads and writes and one SendEmail of at most SES_TIMEOUT_MS (10 s).
  emailNotifications: Duration.seconds(120),
};

/** `startWorkflow` → `StartWorkflow`. */
const pascal = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/**
 * The table stream's consumers (functions/streams/<consumer>.ts), one function and one event
 * source mapping each, filtered by STREAM_FILTERS (shared/streams/filters.ts: Lambda drops
 * every other record before invoking), read from the oldest record the stream holds
 * (TRIM_HORIZON: nothing written between the stream's creation and the mapping's is missed).
 * A failed record is retried alone (the handlers report batch item failures; a batch that
 * errors as a whole is bisected), STREAM_SETTINGS' number of times or until it is too old,
 * then its stream position goes to the consumer's dead-letter queue (SQS, encrypted, TLS
 * only, kept 14 days). `alarmOnDeadLetters` alarms on any message in either queue.
 *
 * Least privilege: startWorkflow may only start executions of the booking workflow, answer
 * its tasks and stop its executions (the record carries the session or the callbacks, tokens
 * included), and read a session item (to keep its timeline's schedules); pushNotifications may Query the table (the user's
 * connections), delete items (gone connections) and post to the WebSocket API's connections;
 * requestRefunds may read, query, update and put items (the refund owed, its payment; a withdrawal,
 * the wallet, a notification; a session and its meeting record) and call Paystack and Zoom
 * (their secrets); emailNotifications may read items (the user, their preferences, the
 * session, a suppression) and put, update and delete its send claims; sending through SES is
 * granted by the Email construct. Each reads the stream and sends to its own queue (granted by the mapping).
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
      const settings = STREAM_SETTINGS[consumer];
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
        timeout: TIMEOUTS[consumer],
      });
      fn.addEventSource(
        new DynamoEventSource(props.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: settings.batchSize,
          retryAttempts: settings.retryAttempts,
          maxRecordAge: Duration.seconds(settings.maxRecordAgeSeconds),
          bisectBatchOnError: true,
          reportBatchItemFailures: true,
          onFailure: new SqsDlq(dlq),
          filters: STREAM_FILTERS[consumer].map((pattern) => FilterCriteria.filter(pattern)),
        }),
      );
      this.functions[consumer] = fn;
      this.deadLetterQueues[consumer] = dlq;
    }

    // Starts a booking's execution; sends a decision's callbacks (task success or failure) and stops an execution a cancel ended.
    for (const access of ['start', 'callback', 'stop'] as const) props.workflow.grant(this.functions.startWorkflow, access);
    // Reads the session to keep its timeline's schedules (their grant: TimelineSchedules.grantSync).
    this.functions.startWorkflow.addEnvironment(ENV.tableName, props.table.tableName);
    props.table.grant(this.functions.startWorkflow, 'dynamodb:GetItem');

    const push = this.functions.pushNotifications;
    push.addEnvironment(ENV.tableName, props.table.tableName);
    props.table.grant(push, 'dynamodb:Query', 'dynamodb:DeleteItem');
    props.webSocket.grantPush(push);

    const refunds = this.functions.requestRefunds;
    refunds.addEnvironment(ENV.tableName, props.table.tableName);
    // A withdrawal settled on the spot (Paystack refused it for good) writes its notification and, with it, puts;
    // a meeting sync reads the session with its meeting record (one Query of the session's partition).
    props.table.grant(refunds, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    props.paystack.grant(refunds);
    props.zoom.grant(refunds);

    const email = this.functions.emailNotifications;
    email.addEnvironment(ENV.tableName, props.table.tableName);
    props.table.grant(email, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
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
