import { z } from 'zod';
import { awaitDecision } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/** A callback task: the token is stored on the session and used by whoever settles the wait. */
export const handler = workflowStep(stepInput.extend({ taskToken: z.string().min(1).max(4096) }), (input) =>
  awaitDecision(input.sessionId, input.taskToken),
);
