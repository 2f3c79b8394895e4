import * as z from '../../shared/schemas/zod';
import { approvalTimeout } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * The decision wait's timeout: a reminder point (the plan's `remind`), or the approval
 * deadline, when the request expires. `approval.value` is the plan of the wait that ended.
 */
const approval = z.optional(z.looseObject({ value: z.looseObject({ remind: z.optional(z.enum(['24h', '2h'])), deadline: z.optional(z.string()) }) }));

export const handler = workflowStep(z.extend(stepInput, { approval }), (input) => approvalTimeout(input.sessionId, input.approval?.value));
