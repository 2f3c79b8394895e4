import { prepareApproval } from '../../shared/usecases/workflow';
import { stepInput, workflowStep } from '../../shared/workflow/step';

export const handler = workflowStep(stepInput, (input) => prepareApproval(input.sessionId));
