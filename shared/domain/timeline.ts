/**
 * The workflow's clock rules, pure: how long a booking may stay unpaid, and which step of
 * the session's timeline comes next (reminder, start, end). The workflow waits; these say
 * until when.
 */
import { HOUR_MS, MINUTE_MS } from './clock';
import { sessionEnd, type Session } from './session';

/** INSTANT bookings hold the slot this long for the student to pay. */
export const INSTANT_PAYMENT_WINDOW_MS = 30 * MINUTE_MS;
/** An approved request stays payable this long after approval. */
export const REQUEST_PAYMENT_WINDOW_MS = 24 * HOUR_MS;
export const REMINDER_LEAD_MS = 15 * MINUTE_MS;

/**
 * Pay by: 30 minutes after an INSTANT booking, or 24 hours after a request's approval;
 * never later than the session's start.
 */
export const paymentDeadline = (s: Pick<Session, 'bookingMode' | 'createdAt' | 'approvedAt' | 'scheduledAt'>): Date => {
  const from = s.bookingMode === 'INSTANT' ? Date.parse(s.createdAt) + INSTANT_PAYMENT_WINDOW_MS : Date.parse(s.approvedAt ?? s.createdAt) + REQUEST_PAYMENT_WINDOW_MS;
  return new Date(Math.min(from, Date.parse(s.scheduledAt)));
};

/** Whole seconds from now until `deadline`, at least 1 (Step Functions' minimum timeout). */
export const secondsUntil = (deadline: Date | string, now: Date): number =>
  Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000));

export type TimelineStep = 'REMIND' | 'START' | 'COMPLETE' | 'DONE';

export interface TimelinePlan {
  step: TimelineStep;
  /** When to run the step (ISO). Absent for DONE. */
  wakeAt?: string;
}

/**
 * The next step of a paid session's timeline. It depends only on the session (not on the
 * clock), so a rescheduled session simply plans again from its new times, and a step whose
 * plan no longer matches the session is skipped.
 */
export const nextTimelineStep = (
  s: Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes'> & { reminderSentFor?: string | null },
): TimelinePlan => {
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    if (s.reminderSentFor !== s.scheduledAt) {
      return { step: 'REMIND', wakeAt: new Date(Date.parse(s.scheduledAt) - REMINDER_LEAD_MS).toISOString() };
    }
    return { step: 'START', wakeAt: s.scheduledAt };
  }
  if (s.status === 'IN_PROGRESS') return { step: 'COMPLETE', wakeAt: sessionEnd(s).toISOString() };
  return { step: 'DONE' };
};
