/**
 * What the local EventBridge Scheduler keeps of a schedule, and how a CreateSchedule or
 * UpdateSchedule body becomes one: validated as the service validates it (the limits of its
 * API reference), answering ValidationException otherwise. Only one-time schedules
 * (`at(yyyy-mm-ddThh:mm:ss)` in ScheduleExpressionTimezone, default UTC) are run locally;
 * rate() and cron() are refused.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

export const DEFAULT_GROUP = 'default';
/** The account and region in the local schedules' ARNs. */
export const LOCAL_SCHEDULER_REGION = 'eu-west-1';
export const LOCAL_ACCOUNT = '000000000000';

/** An error of the Scheduler API, as the SDK's exception of that name. */
export class SchedulerError extends Error {
  constructor(
    readonly code: 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException' | 'InternalServerException',
    message: string,
  ) {
    super(message);
    this.name = code;
  }

  get status(): number {
    return { ValidationException: 400, ConflictException: 409, ResourceNotFoundException: 404, InternalServerException: 500 }[this.code];
  }
}

const NAME = /^[0-9a-zA-Z-_.]+$/;
export const scheduleName = z.string().min(1).max(64).regex(NAME);

const arn = z.string().min(1).max(1600);
const retryPolicy = z.strictObject({
  MaximumEventAgeInSeconds: z.number().int().min(60).max(86_400).optional(),
  MaximumRetryAttempts: z.number().int().min(0).max(185).optional(),
});

/** The body of CreateSchedule and UpdateSchedule (the name is in the path). */
const scheduleBody = z
  .object({
    ScheduleExpression: z.string().min(1).max(256),
    ScheduleExpressionTimezone: z.string().min(1).max(50).optional(),
    FlexibleTimeWindow: z.strictObject({ Mode: z.enum(['OFF', 'FLEXIBLE']), MaximumWindowInMinutes: z.number().int().min(1).max(1440).optional() }),
    Target: z.object({
      Arn: arn,
      RoleArn: arn,
      Input: z.string().min(1).max(8192).optional(),
      RetryPolicy: retryPolicy.optional(),
      DeadLetterConfig: z.strictObject({ Arn: arn.optional() }).optional(),
    }),
    GroupName: scheduleName.optional(),
    State: z.enum(['ENABLED', 'DISABLED']).optional(),
    ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
    Description: z.string().max(512).optional(),
    StartDate: z.number().optional(),
    EndDate: z.number().optional(),
    KmsKeyArn: z.string().min(1).max(2048).optional(),
    ClientToken: z.string().min(1).max(64).optional(),
  })
  .refine((b) => b.FlexibleTimeWindow.Mode === 'OFF' || b.FlexibleTimeWindow.MaximumWindowInMinutes !== undefined, {
    error: 'FlexibleTimeWindow.MaximumWindowInMinutes is required when Mode is FLEXIBLE',
    path: ['FlexibleTimeWindow', 'MaximumWindowInMinutes'],
  });

export type ScheduleBody = z.infer<typeof scheduleBody>;

/** Where a schedule stands locally (not part of AWS's API: the local listing shows it). */
export type LocalStatus = 'SCHEDULED' | 'RETRYING' | 'COMPLETED';

export interface ScheduleRecord {
  name: string;
  groupName: string;
  arn: string;
  /** The request as received (and validated), minus Name and ClientToken. */
  spec: Omit<ScheduleBody, 'ClientToken' | 'GroupName'> & { State: 'ENABLED' | 'DISABLED'; ActionAfterCompletion: 'NONE' | 'DELETE' };
  clientToken?: string;
  /** Epoch ms. */
  creationDate: number;
  lastModificationDate: number;
  /** Bumped by every update: an invocation in flight does not settle a schedule changed meanwhile. */
  revision: number;
  /** The at() time, epoch ms, as AWS would run it. */
  at: number;
  /** When the local scheduler runs it (or its next retry): `at`, brought closer by LOCAL_TIME_SCALE. Epoch ms. */
  dueAt: number;
  status: LocalStatus;
  /** Invocations so far of the current run. */
  attempts: number;
  /** When the first invocation of the current run was made (the retry policy's event age counts from it). */
  firstAttemptAt?: number;
  lastError?: string;
  completedAt?: number;
}

/** A run whose invocations all failed: with a DeadLetterConfig AWS sends it to that queue; locally it is kept here and logged. */
export interface DeadLetter {
  name: string;
  groupName: string;
  arn: string;
  targetArn: string;
  /** The queue AWS would send it to, if the schedule names one. */
  deadLetterArn?: string;
  input?: string;
  attempts: number;
  error: string;
  /** The at() time, epoch ms. */
  at: number;
  deadLetteredAt: number;
}

export const scheduleArn = (groupName: string, name: string): string => `arn:aws:scheduler:${LOCAL_SCHEDULER_REGION}:${LOCAL_ACCOUNT}:schedule/${groupName}/${name}`;

const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;

/** The instant of `at(yyyy-mm-ddThh:mm:ss)` in `zone`, epoch ms; ValidationException for anything else. */
export const parseAt = (expression: string, zone = 'UTC'): number => {
  if (/^(rate|cron)\(/.test(expression))
    throw new SchedulerError('ValidationException', `The local scheduler runs one-time schedules only (at(...)): ${expression} is not supported`);
  const m = AT.exec(expression);
  if (!m) throw new SchedulerError('ValidationException', `Invalid Schedule Expression ${expression}.`);
  if (!IANAZone.isValidZone(zone)) throw new SchedulerError('ValidationException', `Invalid ScheduleExpressionTimezone ${zone}.`);
  const [, year, month, day, hour, minute, second] = m.map(Number) as [number, number, number, number, number, number, number];
  const dt = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  if (!dt.isValid || dt.day !== day || dt.month !== month) throw new SchedulerError('ValidationException', `Invalid Schedule Expression ${expression}.`);
  return dt.toMillis();
};

/** The body of a Create or Update request, validated; ValidationException with the first problem otherwise. */
export const parseScheduleBody = (body: unknown): ScheduleBody => {
  const parsed = scheduleBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new SchedulerError('ValidationException', `1 validation error detected: Value at '${issue.path.join('.') || '(body)'}' failed to satisfy constraint: ${issue.message}`);
};

export const validName = (name: string, what = 'name'): string => {
  if (!scheduleName.safeParse(name).success)
    throw new SchedulerError(
      'ValidationException',
      `1 validation error detected: Value '${name}' at '${what}' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-zA-Z-_.]+$ (1 to 64 characters)`,
    );
  return name;
};

/**
 * When the local scheduler runs a schedule armed at `armedAt` for `at`: the wait between the
 * two is divided by the time scale, as the local workflow runner divides its waits
 * (a time already past runs at once).
 */
export const dueTime = (at: number, armedAt: number, timeScale: number): number => armedAt + Math.max(0, at - armedAt) / timeScale;

/** The retry policy AWS applies when the target names none. */
export const DEFAULT_RETRY = { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 };

/** Exponential backoff between attempts (AWS's is jittered; locally it is fixed so tests can reach it): 1 s, 2 s, 4 s … up to 60 s. Real ms, before scaling. */
export const retryDelayMs = (attempt: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, attempt - 1));
