/**
 * The functions the local schedules invoke, by their target ARN: the same handlers CDK
 * deploys as the schedules' Lambda targets, run in-process with a Lambda context each, as the
 * local workflow runs its steps (infra/local/step-handlers.ts).
 */
import type { Context } from 'aws-lambda';
import { asInvocation } from '../lambda/invocation-scope';
import type { ScheduleTarget } from './scheduler';

/** The ARN the timeline's schedules name locally (TIMELINE_TARGET_ARN, unless set). */
export const LOCAL_TIMELINE_TARGET_ARN = 'arn:aws:lambda:local:000000000000:function:timeline';

/** TIMELINE_TARGET_ARN, set to the local default when unset (the functions read the same variable). */
export const timelineTargetArn = (): string => (process.env.TIMELINE_TARGET_ARN ||= LOCAL_TIMELINE_TARGET_ARN);

type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

const lambdaContext = (name: string, arn: string): Context =>
  ({
    functionName: name,
    functionVersion: '$LATEST',
    awsRequestId: crypto.randomUUID(),
    invokedFunctionArn: arn,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

/** A Lambda handler as a schedule target: loaded on first invocation, each call in an invocation scope of its own. */
export const lambdaTarget = (name: string, arn: string, load: () => Promise<{ handler: LambdaHandler }>): ScheduleTarget => {
  let loaded: Promise<{ handler: LambdaHandler }> | undefined;
  return async (event) => {
    const { handler } = await (loaded ??= load());
    const context = lambdaContext(name, arn);
    return asInvocation(context, () => handler(event as never, context));
  };
};

export type TargetWrapper = (name: string, fn: ScheduleTarget) => ScheduleTarget;

/** The local stack's schedule targets: [its ARN (read when the stack starts), the function's name, its module]. */
const TARGETS: [arn: () => string, name: string, load: () => Promise<{ handler: LambdaHandler }>][] = [
  [timelineTargetArn, 'runTimelineStep', () => import('../../../../functions/timeline/runTimelineStep')],
];

/**
 * The local stack's targets by ARN (`wrap` lets the bench count and time each invocation). A
 * schedule whose ARN has no entry here fails each attempt, so it ends dead-lettered, in the log.
 */
export const localScheduleTargets = (wrap: TargetWrapper = (_n, fn) => fn): Record<string, ScheduleTarget> =>
  Object.fromEntries(TARGETS.map(([arn, name, load]) => [arn(), wrap(name, lambdaTarget(name, arn(), load))]));
