import { z } from 'zod';
import { runTimelineStep } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

const plan = z.object({ step: z.enum(['REMIND', 'START', 'COMPLETE', 'DONE']), wakeAt: z.string().optional() });

export const handler = workflowStep(stepInput.extend({ next: z.object({ value: plan }) }), (input) =>
  runTimelineStep(input.sessionId, input.next.value),
);
