import * as z from 'zod';
import { awaitPayment } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * A callback task: the token is stored on the session and used by whoever settles the wait.
 * `planned` is what the preparing step answered: the deadline this wait runs to.
 */
const planned = z.object({ paymentDeadline: z.string().optional() }).loose().optional();

export const handler = workflowStep(stepInput.extend({ taskToken: z.string().min(1).max(4096), planned }), (input) =>
  awaitPayment(input.sessionId, input.taskToken, input.planned?.paymentDeadline),
);
