/**
 * The middy chain of the workflow's task functions: observability (log key sessionId from
 * the state data, the redacted input at DEBUG, metrics published at the end), then the state
 * data is parsed with zod (a malformed input fails the task loudly rather than acting on
 * garbage), then the step runs.
 * Errors propagate: Step Functions' Retry and Catch decide what happens next.
 */
import middy from '@middy/core';
import { observe } from '../observability/invocation';
import { sessionId } from '../schemas/session-id';
import * as z from '../schemas/zod';

/** Every task gets the execution's data; only the session id is always there. */
export const stepInput = z.looseObject({ sessionId });

/** The task token a `.waitForTaskToken` step hands its Lambda. */
export const taskToken = z.string().check(z.minLength(1), z.maxLength(4096));

export const workflowStep = <S extends z.ZodMiniType>(schema: S, run: (input: z.output<S>) => Promise<unknown>) =>
  middy(async (event: unknown) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) {
      const err = new Error(`Invalid step input: ${z.prettifyError(parsed.error)}`);
      err.name = 'InvalidStepInput';
      throw err;
    }
    return run(parsed.data);
  }).use(
    observe<unknown>({
      keysOf: (event) => {
        const id = (event as { sessionId?: unknown } | null)?.sessionId;
        return { sessionId: typeof id === 'string' ? id : undefined };
      },
    }),
  );
