/**
 * The paid booking's confirmation, the last step of both ways out of the meeting's making
 * (./confirm-booking.ts with a meeting, ./meeting-fallback.ts without): the session's
 * timeline is scheduled (its reminders, start and end), both sides are told, and the
 * workflow's part is done.
 */
import { systemClock } from '../../domain/clock';
import type { PlannedStep } from '../../domain/timeline';
import { transitionSession } from '../../data/sessions';
import { timelineScheduler } from '../../integrations/scheduler';
import { notify as notifyInbox } from '../notify';
import { retryOnStale } from '../stale-retry';
import { syncSessionSchedules, type TimelineDeps } from '../timeline';
import { loadSession, stateOf } from './step-session';

/** The timeline's schedules, and the notifier that tells of the confirmation. */
export interface ConfirmationDeps extends TimelineDeps {
  notify: typeof notifyInbox;
}

export const defaultConfirmationDeps: ConfirmationDeps = { clock: systemClock, scheduler: timelineScheduler, notify: notifyInbox };

/** `meetingUrl`: the meeting the step made, stored on the session once. */
export const confirm = async (sessionId: string, meetingUrl: string | null, deps: ConfirmationDeps) => {
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
