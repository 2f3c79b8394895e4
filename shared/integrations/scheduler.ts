/**
 * The session timeline's one-time schedules on EventBridge Scheduler, kept idempotently:
 * `put` creates a schedule or, when one of that name exists, updates it to the new time and
 * input; `remove` deletes one, a schedule already gone (it fired: ActionAfterCompletion
 * DELETE) counting as done. Each invokes the timeline's target function with its input as the
 * event. Locally AWS_ENDPOINT_URL_SCHEDULER points the same client at the local scheduler.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { timelineSchedules } from '../config';

const client = new SchedulerClient({});

export interface TimelineScheduler {
  /** Runs the target with `input` at `at` (whole seconds, UTC). */
  put(name: string, at: Date, input: object): Promise<void>;
  remove(name: string): Promise<void>;
}

/** `at(yyyy-mm-ddThh:mm:ss)`, in UTC (ScheduleExpressionTimezone). */
export const atExpression = (at: Date): string => `at(${at.toISOString().slice(0, 19)})`;

/**
 * A failed invocation (the target threw, or could not be reached) is retried for up to an
 * hour: a reminder later than that is skipped by the step anyway; then it goes to the DLQ.
 */
const RETRY_POLICY = { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 };

const request = (name: string, at: Date, input: object): CreateScheduleCommandInput => {
  const env = timelineSchedules();
  return {
    Name: name,
    GroupName: env.group,
    ScheduleExpression: atExpression(at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: env.targetArn,
      RoleArn: env.roleArn,
      Input: JSON.stringify(input),
      RetryPolicy: RETRY_POLICY,
      ...(env.dlqArn ? { DeadLetterConfig: { Arn: env.dlqArn } } : {}),
    },
  };
};

export const timelineScheduler: TimelineScheduler = {
  async put(name, at, input) {
    const req = request(name, at, input);
    try {
      await client.send(new CreateScheduleCommand(req));
    } catch (e) {
      if (!(e instanceof ConflictException)) throw e;
      // UpdateSchedule replaces the whole schedule: the same fields as the create.
      await client.send(new UpdateScheduleCommand(req));
    }
  },
  async remove(name) {
    try {
      await client.send(new DeleteScheduleCommand({ Name: name, GroupName: timelineSchedules().group }));
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
    }
  },
};
