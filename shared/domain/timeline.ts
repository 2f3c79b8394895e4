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
export const secondsUntil = (deadline: Date | string, now: Date): number => Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000));

export type TimelineStep = 'REMIND' | 'START' | 'COMPLETE' | 'DONE';

export interface TimelinePlan {
  step: TimelineStep;
  /** When to run the step (ISO). Absent for DONE. */
  wakeAt?: string;
}

/**
 * The longest single timeline wait. A step further away is waited for in parts: each part
 * is one wait of at most this long, and the next part's length comes from the previous one
 * (`laterSeconds`), not from the clock, so the workflow's timer stays the authority (and a
 * time-compressed local run stays compressed). 20 days: below Node's 24.8-day timer limit,
 * which the local runner's callback timeouts are subject to.
 */
export const MAX_TIMELINE_WAIT_SECONDS = 20 * 24 * 3600;

export interface TimelineWait extends TimelinePlan {
  /** How long this wait lasts (the callback task's timeout). */
  timeoutSeconds?: number;
  /** What is left to wait after this one; 0 when the step is due at its end. */
  laterSeconds?: number;
}

/**
 * The wait before `plan`'s step. `previous` is the wait that just ended (by its timeout): if
 * it was a part of the wait for this same step, the next part continues it; otherwise (a
 * first plan, or the session moved) the wait is counted from `now` to the step's time.
 */
export const timelineWait = (plan: TimelinePlan, previous: TimelineWait | undefined, now: Date): TimelineWait => {
  if (plan.step === 'DONE' || !plan.wakeAt) return plan;
  const continues = previous?.step === plan.step && previous.wakeAt === plan.wakeAt && (previous.laterSeconds ?? 0) > 0;
  const total = continues ? previous.laterSeconds! : secondsUntil(plan.wakeAt, now);
  const timeoutSeconds = Math.min(total, MAX_TIMELINE_WAIT_SECONDS);
  return { ...plan, timeoutSeconds, laterSeconds: total - timeoutSeconds };
};

/** Whether the step is due once `wait` has run out (it was the last part). */
export const isDue = (wait: TimelineWait): boolean => !(wait.laterSeconds && wait.laterSeconds > 0);

/**
 * The next step of a paid session's timeline. It depends only on the session (not on the
 * clock), so a rescheduled session simply plans again from its new times, and a step whose
 * plan no longer matches the session is skipped.
 */
export const nextTimelineStep = (s: Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes'> & { reminderSentFor?: string | null }): TimelinePlan => {
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    if (s.reminderSentFor !== s.scheduledAt) {
      return { step: 'REMIND', wakeAt: new Date(Date.parse(s.scheduledAt) - REMINDER_LEAD_MS).toISOString() };
    }
    return { step: 'START', wakeAt: s.scheduledAt };
  }
  if (s.status === 'IN_PROGRESS') return { step: 'COMPLETE', wakeAt: sessionEnd(s).toISOString() };
  return { step: 'DONE' };
};
