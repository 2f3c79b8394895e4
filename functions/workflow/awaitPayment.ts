import * as z from '../../shared/schemas/zod';
import { awaitPayment } from '../../shared/usecases/workflow-steps/await-payment';
import { stepInput, taskToken, workflowStep } from '../../shared/workflow/step';

/**
 * A callback task: the token is stored on the session and used by whoever settles the wait.
 * `planned` is what the preparing step answered: the deadline this wait runs to.
 */
const planned = z.optional(z.looseObject({ paymentDeadline: z.optional(z.string()) }));

export const handler = workflowStep(z.extend(stepInput, { taskToken, planned }), (input) => awaitPayment(input.sessionId, input.taskToken, input.planned?.paymentDeadline));
