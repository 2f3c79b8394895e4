import * as z from '../../shared/schemas/zod';
import { planTimeline } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';
import { timelineWaitInput } from '../../shared/workflow/timeline-input';

/**
 * `$.next` is the wait that just ended by its timeout (`{ value: plan }`), or absent, or the
 * error of an interrupted wait (a reschedule): only the first continues a long wait.
 */
const previous = z.object({ value: timelineWaitInput });

export const handler = workflowStep(stepInput, (input) => {
  const prev = previous.safeParse(input.next);
  return planTimeline(input.sessionId, prev.success ? prev.data.value : undefined);
});
