import * as z from 'zod';
import { awaitTimeline } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';
import { timelineWaitInput } from '../../shared/workflow/timeline-input';

/** A callback task (WaitUntilNextStep): the token is stored on the session; a reschedule ends the wait with it. */
export const handler = workflowStep(stepInput.extend({ taskToken: z.string().min(1).max(4096), plan: timelineWaitInput }), (input) =>
  awaitTimeline(input.sessionId, input.taskToken, input.plan),
);
