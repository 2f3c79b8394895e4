/**
 * The workflow's task functions, loaded in-process for the local runner and the tests:
 * the same modules CDK deploys as Lambda functions (functions/workflow/<step>.ts).
 */
import type { Context } from 'aws-lambda';
import { asInvocation } from '../lambda/invocation-scope';
import { WORKFLOW_STEPS, type WorkflowStep } from '../../../../shared/workflow/definition';
import { handler as awaitDecision } from '../../../../functions/workflow/awaitDecision';
import { handler as expireRequest } from '../../../../functions/workflow/expireRequest';
import { handler as preparePayment } from '../../../../functions/workflow/preparePayment';
import { handler as awaitPayment } from '../../../../functions/workflow/awaitPayment';
import { handler as cancelUnpaid } from '../../../../functions/workflow/cancelUnpaid';
import { handler as releaseOnError } from '../../../../functions/workflow/releaseOnError';
import { handler as meetingFallback } from '../../../../functions/workflow/meetingFallback';
import { handler as confirmBooking } from '../../../../functions/workflow/confirmBooking';

export type StepHandler = (payload: unknown) => Promise<unknown>;

const modules: Record<WorkflowStep, (event: never, context: Context) => Promise<unknown>> = {
  awaitDecision,
  expireRequest,
  preparePayment,
  awaitPayment,
  cancelUnpaid,
  releaseOnError,
  confirmBooking,
  meetingFallback,
};

const lambdaContext = (step: string): Context =>
  ({
    functionName: step,
    functionVersion: '$LATEST',
    awsRequestId: crypto.randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:000000000000:function:${step}`,
    memoryLimitInMB: '512',
    logGroupName: `/aws/lambda/${step}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

/** Every step's handler, optionally wrapped (tests use this to inject failures). */
export const stepHandlers = (wrap: (step: WorkflowStep, run: StepHandler) => StepHandler = (_s, run) => run): Record<WorkflowStep, StepHandler> =>
  Object.fromEntries(
    WORKFLOW_STEPS.map((step) => [
      step,
      wrap(step, (payload) => {
        const context = lambdaContext(step);
        return asInvocation(context, () => modules[step](payload as never, context));
      }),
    ]),
  ) as Record<WorkflowStep, StepHandler>;
