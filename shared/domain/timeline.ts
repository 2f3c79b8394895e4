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
/** The day-before reminder. */
export const DAY_REMINDER_LEAD_MS = 24 * HOUR_MS;
/** A reminder that would go out later than this after its time is skipped, not sent late. */
export const REMINDER_TOLERANCE_MS = HOUR_MS;

/**
 * Pay by: 30 minutes after an INSTANT booking, or 24 hours after a request's approval;
 * never later than the session's start.
 */
export const paymentDeadline = (s: Pick<Session, 'bookingMode' | 'createdAt' | 'approvedAt' | 'scheduledAt'>): Date => {
  const from = s.bookingMode === 'INSTANT' ? Date.parse(s.createdAt) + INSTANT_PAYMENT_WINDOW_MS : Date.parse(s.approvedAt ?? s.createdAt) + REQUEST_PAYMENT_WINDOW_MS;
  return new Date(Math.min(from, Date.parse(s.scheduledAt)));
};

/** The tutor is reminded of an unanswered request this long before its approval deadline, in this order. */
export const APPROVAL_REMINDER_LEADS = { '24h': 24 * HOUR_MS, '2h': 2 * HOUR_MS } as const;
export type ApprovalReminder = keyof typeof APPROVAL_REMINDER_LEADS;

/**
 * The next reminder of an unanswered request: the first after `after` (the one whose time just
 * came, if any) whose time is still ahead. Points already past are skipped: a request made
 * less than a day before its deadline gets only the 2-hour reminder, one made less than two
 * hours before, none.
 */
export const nextApprovalReminder = (deadline: string, now: Date, after?: ApprovalReminder): { remind: ApprovalReminder; at: string } | undefined => {
  const leads = Object.keys(APPROVAL_REMINDER_LEADS) as ApprovalReminder[];
  for (const remind of leads.slice(after ? leads.indexOf(after) + 1 : 0)) {
    const at = Date.parse(deadline) - APPROVAL_REMINDER_LEADS[remind];
    if (at > now.getTime()) return { remind, at: new Date(at).toISOString() };
  }
  return undefined;
};

/** Whole seconds from now until `deadline`, at least 1 (Step Functions' minimum timeout). */
export const secondsUntil = (deadline: Date | string, now: Date): number => Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000));

export type TimelineStep = 'REMIND_DAY' | 'REMIND' | 'START' | 'COMPLETE' | 'DONE';

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

/** The session's fields the timeline is planned from. */
export type TimelineSession = Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes' | 'createdAt'> & {
  /** The start time the 15-minute reminder was sent for. */
  reminderSentFor?: string | null;
  /** The start time the day-before reminder was sent for. */
  dayReminderSentFor?: string | null;
};

/**
 * The next step of a paid session's timeline: the day-before reminder, the 15-minute one, the
 * start, the end. It depends on the session, so a rescheduled session simply plans again
 * from its new times, and a step whose plan no longer matches the session is skipped. The
 * day-before reminder is for sessions booked at least a day ahead (a booking made later has
 * just been confirmed by email). Given `now`, a reminder whose time passed more than
 * REMINDER_TOLERANCE_MS ago is skipped: past that it would only confuse. The clock only ever
 * removes a reminder from the plan, so a step planned and then found too late is planned
 * again as the next one.
 */
export const nextTimelineStep = (s: TimelineSession, now?: Date): TimelinePlan => {
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    const start = Date.parse(s.scheduledAt);
    const missed = (at: number) => now !== undefined && now.getTime() > at + REMINDER_TOLERANCE_MS;
    const day = start - DAY_REMINDER_LEAD_MS;
    if (s.dayReminderSentFor !== s.scheduledAt && Date.parse(s.createdAt) <= day && !missed(day)) return { step: 'REMIND_DAY', wakeAt: new Date(day).toISOString() };
    const soon = start - REMINDER_LEAD_MS;
    if (s.reminderSentFor !== s.scheduledAt && !missed(soon)) return { step: 'REMIND', wakeAt: new Date(soon).toISOString() };
    return { step: 'START', wakeAt: s.scheduledAt };
  }
  if (s.status === 'IN_PROGRESS') return { step: 'COMPLETE', wakeAt: sessionEnd(s).toISOString() };
  return { step: 'DONE' };
};
