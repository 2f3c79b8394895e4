import * as z from '../../shared/schemas/zod';
import { runTimelineStep } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';
import { timelineWaitInput } from '../../shared/workflow/timeline-input';

export const handler = workflowStep(z.extend(stepInput, { next: z.object({ value: timelineWaitInput }) }), (input) => runTimelineStep(input.sessionId, input.next.value));
