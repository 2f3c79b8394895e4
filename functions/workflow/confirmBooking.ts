import * as z from '../../shared/schemas/zod';
import { confirmBooking } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

const meeting = z.optional(z.object({ value: z.looseObject({ joinUrl: z.nullable(z.string().check(z.url())) }) }));

export const handler = workflowStep(z.extend(stepInput, { meeting }), (input) => confirmBooking(input.sessionId, input.meeting?.value.joinUrl ?? null));
