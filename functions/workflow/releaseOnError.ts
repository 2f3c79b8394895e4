import { releaseOnError } from '../../shared/usecases/workflow-steps/release-unpaid';
import { stepInput, workflowStep } from '../../shared/workflow/step';

export const handler = workflowStep(stepInput, (input) => releaseOnError(input.sessionId));
