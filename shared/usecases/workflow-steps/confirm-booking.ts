/**
 * ConfirmBooking: the paid booking's meeting (made once however often the step runs:
 * shared/usecases/meetings.ts), then its confirmation. Zoom's failures are thrown: the state
 * machine retries, then MeetingFallback.
 */
import { createSessionMeeting } from '../meetings';
import { confirm, defaultConfirmationDeps, type ConfirmationDeps } from './confirmation';

export interface ConfirmBookingDeps extends ConfirmationDeps {
  createMeeting: typeof createSessionMeeting;
}

export const defaultConfirmBookingDeps: ConfirmBookingDeps = { ...defaultConfirmationDeps, createMeeting: (sessionId) => createSessionMeeting(sessionId) };

export const confirmBooking = async (sessionId: string, deps: ConfirmBookingDeps = defaultConfirmBookingDeps) => {
  const meeting = await deps.createMeeting(sessionId);
  return { ...(await confirm(sessionId, meeting.joinUrl, deps)), meeting };
};
