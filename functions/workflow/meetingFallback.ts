import { meetingFallback } from '../../shared/usecases/workflow-steps/meeting-fallback';
import { stepInput, workflowStep } from '../../shared/workflow/step';

export const handler = workflowStep(stepInput, (input) => meetingFallback(input.sessionId));
