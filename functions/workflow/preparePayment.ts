import { preparePayment } from '../../shared/usecases/workflow-steps/prepare-payment';
import { stepInput, workflowStep } from '../../shared/workflow/step';

export const handler = workflowStep(stepInput, (input) => preparePayment(input.sessionId));
