import { createSessionMeeting } from '../../shared/usecases/meetings';
import { stepInput, workflowStep } from '../../shared/workflow/step';

/**
 * The meeting step: the paid session's Zoom meeting, created once however often the step
 * runs (see shared/usecases/meetings.ts). Answers `{ joinUrl, meetingId }`; ConfirmBooking
 * reads `joinUrl`. Zoom's failures are thrown: the state machine retries, then MeetingFallback.
 */
export const handler = workflowStep(stepInput, (input) => createSessionMeeting(input.sessionId));
