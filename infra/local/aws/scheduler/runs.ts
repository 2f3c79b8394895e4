/**
 * A run of a one-time schedule, as EventBridge Scheduler makes it: the event the target gets
 * (AWS's `<aws.scheduler.*>` placeholders filled in, JSON parsed), and what follows each attempt:
 * a failure is retried per the target's RetryPolicy (AWS's default: 185 retries within 24 h;
 * delays 1 s, 2 s, 4 s … 60 s, divided by retryTimeScale), then dead-lettered; after the run
 * ActionAfterCompletion DELETE deletes the schedule, NONE keeps it as COMPLETED.
 */
import { DEFAULT_RETRY, retryDelayMs, type DeadLetter, type ScheduleRecord } from './model';

/** `<aws.scheduler.*>` placeholders in the input, as AWS fills them in for each invocation. */
const contextInput = (r: ScheduleRecord, attempt: number, executionId: string): string | undefined =>
  r.spec.Target.Input?.replaceAll('<aws.scheduler.schedule-arn>', r.arn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(r.at).toISOString().replace(/\.\d{3}Z$/, 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(attempt));

/** The event of the run's attempt number `attempt`: the input as JSON, as a string if it is not JSON, `{}` without one. */
export const targetEvent = (r: ScheduleRecord, attempt: number, executionId: string): unknown => {
  const input = contextInput(r, attempt, executionId);
  if (input === undefined) return {};
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
};

export type AfterAttempt =
  /** The run goes on: `next` is the schedule as stored until its next attempt. */
  | { kind: 'retry'; next: ScheduleRecord }
  /** The run is over: a dead letter if it failed for good; the schedule kept as `completed`, or deleted when there is none. */
  | { kind: 'end'; deadLetter?: DeadLetter; completed?: ScheduleRecord };

/** What follows attempt `number` of `r`'s run, made at `at` and failed with `error` (undefined: it succeeded). */
export const afterAttempt = (r: ScheduleRecord, number: number, at: number, error: string | undefined, opts: { retryTimeScale: number; now: number }): AfterAttempt => {
  const firstAttemptAt = r.firstAttemptAt ?? at;
  if (error !== undefined) {
    const policy = { ...DEFAULT_RETRY, ...r.spec.Target.RetryPolicy };
    const nextAt = at + retryDelayMs(number) / opts.retryTimeScale;
    if (number <= policy.MaximumRetryAttempts && nextAt - firstAttemptAt <= (policy.MaximumEventAgeInSeconds * 1000) / opts.retryTimeScale)
      return { kind: 'retry', next: { ...r, status: 'RETRYING', attempts: number, firstAttemptAt, dueAt: nextAt, lastError: error } };
  }
  const deadLetter: DeadLetter | undefined =
    error === undefined
      ? undefined
      : {
          name: r.name,
          groupName: r.groupName,
          arn: r.arn,
          targetArn: r.spec.Target.Arn,
          ...(r.spec.Target.DeadLetterConfig?.Arn ? { deadLetterArn: r.spec.Target.DeadLetterConfig.Arn } : {}),
          ...(r.spec.Target.Input !== undefined ? { input: r.spec.Target.Input } : {}),
          attempts: number,
          error,
          at: r.at,
          deadLetteredAt: opts.now,
        };
  const end = deadLetter ? { kind: 'end' as const, deadLetter } : { kind: 'end' as const };
  if (r.spec.ActionAfterCompletion === 'DELETE') return end;
  const completed: ScheduleRecord = { ...r, status: 'COMPLETED', attempts: number, firstAttemptAt, completedAt: opts.now };
  if (error !== undefined) completed.lastError = error;
  else delete completed.lastError;
  return { ...end, completed };
};
