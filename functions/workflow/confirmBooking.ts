import { confirmBooking } from '../../shared/usecases/workflow-steps/confirm-booking';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * The paid session's Zoom meeting (created once however often the step runs), then the
 * confirmation: the timeline's schedules and both sides told. Zoom's failures are thrown: the
 * state machine retries, then MeetingFallback.
 */
export const handler = workflowStep(stepInput, (input) => confirmBooking(input.sessionId));
