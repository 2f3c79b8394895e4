import * as z from '../../shared/schemas/zod';
import { awaitDecision } from '../../shared/usecases/workflow-steps/await-decision';
import { stepInput, taskToken, workflowStep } from '../../shared/workflow/step';

/** A callback task: the token is stored on the session and used by whoever settles the wait. */
export const handler = workflowStep(z.extend(stepInput, { taskToken }), (input) => awaitDecision(input.sessionId, input.taskToken));
