import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { grantTableAccess } from './table-access';
import { deadLetterAlarm } from './dead-letter-alarm';

export interface TimelineSchedulesProps {
  table: ITable;
}

/**
 * The session timeline's one-time schedules (shared/usecases/timeline.ts): a schedule group
 * of their own, so they are listed together (console: EventBridge → Scheduler → Schedules,
 * group filter; CLI `aws scheduler list-schedules --group-name <group> --name-prefix <sessionId>`);
 * the target function every schedule invokes (functions/timeline/runTimelineStep.ts); the role
 * Scheduler assumes to invoke it (lambda:InvokeFunction on that function only, and sending to
 * the dead-letter queue); and that queue, where an invocation Scheduler gave up on (after its
 * retries) lands, with an alarm. `grantSync` lets a function keep the schedules.
 */
export class TimelineSchedules extends Construct {
  readonly group: ScheduleGroup;
  readonly target: BookingFunction;
  readonly role: Role;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: TimelineSchedulesProps) {
    super(scope, id);
    // Deleting the group deletes its schedules: with the stack, as the executions' history goes.
    // Named after the stack, so it is found by name in the console (`<stack>-timeline`).
    this.group = new ScheduleGroup(this, 'Group', { scheduleGroupName: `${Stack.of(this).stackName}-timeline`, removalPolicy: RemovalPolicy.DESTROY });
    this.target = new BookingFunction(this, 'StepFunction', {
      entry: path.join(PROJECT_ROOT, 'functions', 'timeline', 'runTimelineStep.ts'),
      description: "Timeline step: a session reminder, start or end, or a request's reminder or expiry, as its schedule fires",
      timeout: Duration.seconds(10),
      environment: { [ENV.tableName]: props.table.tableName },
    });
    grantTableAccess(props.table, this.target, 'write');

    this.deadLetterQueue = new Queue(this, 'DeadLetters', { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [
      { id: 'AwsSolutions-SQS3', reason: "This queue is the dead-letter queue of the timeline's schedules; nothing consumes it but operators" },
    ]);

    this.role = new Role(this, 'InvokeRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com'),
      description: "Assumed by EventBridge Scheduler to run the timeline's schedules",
    });
    // The function itself only (grantInvoke would add its versions and aliases, `:*`): the schedules name it unqualified.
    this.role.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }));
    this.deadLetterQueue.grantSendMessages(this.role);
  }

  /** Create, update and delete schedules in the group, pass the role to them, and where they all are (environment). */
  grantSync(fn: LambdaFunction & IGrantable): void {
    fn.addEnvironment(ENV.timelineScheduleGroup, this.group.scheduleGroupName);
    fn.addEnvironment(ENV.timelineTargetArn, this.target.functionArn);
    fn.addEnvironment(ENV.timelineSchedulerRoleArn, this.role.roleArn);
    fn.addEnvironment(ENV.timelineDlqArn, this.deadLetterQueue.queueArn);
    // On the group's schedules (…:schedule/<group>/*), not the group itself: CreateSchedule, UpdateSchedule, DeleteSchedule.
    this.group.grants.writeSchedules(fn);
    this.group.grants.deleteSchedules(fn);
    this.role.grantPassRole(fn.grantPrincipal);
  }

  /** Any message in the dead-letter queue (a step Scheduler gave up on) notifies `topic`. */
  alarmOnDeadLetters(topic: ITopic): Alarm {
    return deadLetterAlarm(
      this,
      'DeadLettersAlarm',
      this.deadLetterQueue,
      topic,
      "A timeline step's schedule gave up invoking its target (the dead-letter queue is not empty): see the message for the session and step",
    );
  }
}
