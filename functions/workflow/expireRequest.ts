import { expireRequest } from '../../shared/usecases/workflow-steps/expire-request';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/** The decision wait's timeout: the approval deadline passed, and the request expires (unless the decision won the race). */
export const handler = workflowStep(stepInput, (input) => expireRequest(input.sessionId));
