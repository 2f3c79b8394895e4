/**
 * The paid booking's confirmation: ConfirmBooking makes its meeting first, MeetingFallback
 * confirms without one when Zoom keeps failing. Both schedule the session's timeline (its
 * reminders, start and end) and tell both sides; the workflow's part is then done.
 */
import { systemClock } from '../../domain/clock';
import type { PlannedStep } from '../../domain/timeline';
import { transitionSession } from '../../data/sessions';
import { timelineScheduler } from '../../integrations/scheduler';
import { count } from '../../observability/metrics';
import { createSessionMeeting, releaseUnusedHost } from '../meetings';
import { notify as notifyInbox } from '../notify';
import { retryOnStale } from '../stale-retry';
import { syncSessionSchedules, type TimelineDeps } from '../timeline';
import { loadSession, stateOf } from './step-session';

/** The timeline's schedules, the notifier that tells of the confirmation, and the meeting's maker. */
export interface ConfirmationDeps extends TimelineDeps {
  notify: typeof notifyInbox;
  createMeeting: typeof createSessionMeeting;
}

export const defaultConfirmationDeps: ConfirmationDeps = {
  clock: systemClock,
  scheduler: timelineScheduler,
  notify: notifyInbox,
  createMeeting: (sessionId) => createSessionMeeting(sessionId),
};

/** `meetingUrl`: the meeting the step made, stored on the session once. */
const confirm = async (sessionId: string, meetingUrl: string | null, deps: ConfirmationDeps) => {
  const s = await retryOnStale(async () => {
    const current = await loadSession(sessionId);
    if (!meetingUrl || current.meetingUrl) return current;
    return transitionSession(current, { ...current, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  // Before telling anyone: a retry after a failed notice puts the same schedules again.
  const timeline: PlannedStep[] = await syncSessionSchedules(sessionId, { clock: deps.clock, scheduler: deps.scheduler });
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    await deps.notify({ event: 'BOOKING_CONFIRMED', session: s, to: ['student'] });
    await deps.notify({ event: 'PAYMENT_RECEIVED', session: s, to: ['tutor'] });
  }
  return { ...stateOf(s), timeline };
};

/**
 * The paid booking's meeting (made once however often the step runs: shared/usecases/
 * meetings.ts), then its confirmation. Zoom's failures are thrown: the state machine
 * retries, then MeetingFallback.
 */
export const confirmBooking = async (sessionId: string, deps: ConfirmationDeps = defaultConfirmationDeps) => {
  const meeting = await deps.createMeeting(sessionId);
  return { ...(await confirm(sessionId, meeting.joinUrl, deps)), meeting };
};

/** No meeting could be made: the booking stands, the tutor is asked for a link, and it is confirmed. */
export const meetingFallback = async (sessionId: string, deps: ConfirmationDeps = defaultConfirmationDeps) => {
  await releaseUnusedHost(sessionId);
  const s = await loadSession(sessionId);
  if (!s.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: s, to: ['tutor'] });
  count('ZoomFallbacks');
  return confirm(sessionId, null, deps);
};
