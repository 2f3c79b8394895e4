import * as z from 'zod';
import { confirmBooking } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

const meeting = z.object({ value: z.object({ joinUrl: z.string().url().nullable() }).loose() }).optional();

export const handler = workflowStep(stepInput.extend({ meeting }), (input) =>
  confirmBooking(input.sessionId, input.meeting?.value.joinUrl ?? null),
);
