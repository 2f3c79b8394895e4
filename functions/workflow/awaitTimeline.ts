import * as z from '../../shared/schemas/zod';
import { awaitTimeline } from '../../shared/usecases/workflow';
import { stepInput, taskToken, workflowStep } from '../../shared/workflow/step';
import { timelineWaitInput } from '../../shared/workflow/timeline-input';

/**
 * A callback task (WaitUntilNextStep): the token is stored on the session; a reschedule ends
 * the wait with it. A wait planned with nothing left (DONE) is ended here, with success.
 */
export const handler = workflowStep(z.extend(stepInput, { taskToken, plan: timelineWaitInput }), (input) => awaitTimeline(input.sessionId, input.taskToken, input.plan));
