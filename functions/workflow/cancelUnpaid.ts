import { cancelUnpaid } from '../../shared/usecases/workflow-steps/release-unpaid';
import { stepInput, workflowStep } from '../../shared/workflow/step';

export const handler = workflowStep(stepInput, (input) => cancelUnpaid(input.sessionId));
