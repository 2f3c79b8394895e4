/**
 * The booking's clock rules, pure: how long a booking may stay unpaid, and which steps of the
 * session's timeline (reminders, start, end) are still to run, and when. The workflow and the
 * timeline's schedules wait; these say until when.
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

/** The tutor is reminded of an unanswered request this long before its approval deadline. */
export const APPROVAL_REMINDER_LEADS = { '24h': 24 * HOUR_MS, '2h': 2 * HOUR_MS } as const;
export type ApprovalReminder = keyof typeof APPROVAL_REMINDER_LEADS;

/** Whole seconds from now until `deadline`, at least 1 (Step Functions' minimum timeout). */
export const secondsUntil = (deadline: Date | string, now: Date): number => Math.max(1, Math.ceil((new Date(deadline).getTime() - now.getTime()) / 1000));

/**
 * The steps that run at a time of the session's, each as a one-time schedule of its own
 * (shared/usecases/timeline.ts): the session's reminders, its start and its end, and the
 * tutor's reminders of an unanswered request and its expiry at the approval deadline.
 */
export const TIMELINE_STEPS = ['REMIND_DAY', 'REMIND', 'START', 'COMPLETE', 'REMIND_APPROVAL_24H', 'REMIND_APPROVAL_2H', 'EXPIRE'] as const;
export type TimelineStep = (typeof TIMELINE_STEPS)[number];

const APPROVAL_STEPS: Record<ApprovalReminder, TimelineStep> = { '24h': 'REMIND_APPROVAL_24H', '2h': 'REMIND_APPROVAL_2H' };
export const approvalReminderOf = (step: TimelineStep): ApprovalReminder | undefined => (step === 'REMIND_APPROVAL_24H' ? '24h' : step === 'REMIND_APPROVAL_2H' ? '2h' : undefined);

export interface PlannedStep {
  step: TimelineStep;
  /** When the step is due (ISO): what the session says, whenever it actually runs. */
  at: string;
}

/** The session's fields the timeline is planned from. */
export type TimelineSession = Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes' | 'createdAt'> &
  Partial<Pick<Session, 'approvalDeadline'>> & {
    /** The start time the 15-minute reminder was sent for. */
    reminderSentFor?: string | null;
    /** The start time the day-before reminder was sent for. */
    dayReminderSentFor?: string | null;
  };

/** Until when a request waits for the tutor's decision. */
export const decisionDeadline = (s: Pick<Session, 'scheduledAt'> & Partial<Pick<Session, 'approvalDeadline'>>): string => s.approvalDeadline ?? s.scheduledAt;

/**
 * How long after the approval deadline the workflow's own timeout expires a request whose
 * EXPIRE schedule never ran. A deadline only ever moves earlier (a reschedule keeps the
 * earlier of it and the new start), so the deadline at booking plus this bounds it for good.
 */
export const APPROVAL_BACKSTOP_MS = HOUR_MS;

/** When the decision wait of a booking's execution times out, fixed when the execution starts. */
export const approvalBackstop = (s: Pick<Session, 'scheduledAt'> & Partial<Pick<Session, 'approvalDeadline'>>): Date =>
  new Date(Date.parse(decisionDeadline(s)) + APPROVAL_BACKSTOP_MS);

/**
 * Every step the session, as it is now, still has to run, with its time; clockless. A paid
 * session: the day-before reminder (booked at least a day ahead: a booking made later has just
 * been confirmed by email), the 15-minute one (each once per start time: a moved session is
 * reminded again), the start and the end; one in progress: its end. The end is planned from a
 * paid session not yet started too, so that a start that never ran cannot leave it open. An
 * unanswered request: the tutor's reminders, 24 h and 2 h before its deadline, and its expiry
 * at the deadline.
 */
export const sessionSteps = (s: TimelineSession): PlannedStep[] => {
  const end = { step: 'COMPLETE' as const, at: sessionEnd(s).toISOString() };
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    const start = Date.parse(s.scheduledAt);
    const day = start - DAY_REMINDER_LEAD_MS;
    const steps: PlannedStep[] = [];
    if (s.dayReminderSentFor !== s.scheduledAt && Date.parse(s.createdAt) <= day) steps.push({ step: 'REMIND_DAY', at: new Date(day).toISOString() });
    if (s.reminderSentFor !== s.scheduledAt) steps.push({ step: 'REMIND', at: new Date(start - REMINDER_LEAD_MS).toISOString() });
    return [...steps, { step: 'START', at: s.scheduledAt }, end];
  }
  if (s.status === 'IN_PROGRESS') return [end];
  if (s.status === 'PENDING_MENTOR_REVIEW') {
    const deadline = Date.parse(decisionDeadline(s));
    const reminders = (Object.keys(APPROVAL_REMINDER_LEADS) as ApprovalReminder[]).map((r) => ({
      step: APPROVAL_STEPS[r],
      at: new Date(deadline - APPROVAL_REMINDER_LEADS[r]).toISOString(),
    }));
    return [...reminders, { step: 'EXPIRE', at: new Date(deadline).toISOString() }];
  }
  return [];
};

const isSessionReminder = (step: TimelineStep) => step === 'REMIND_DAY' || step === 'REMIND';

/**
 * The steps to schedule now: a session reminder whose time passed more than
 * REMINDER_TOLERANCE_MS ago is dropped (past that it would only confuse), and so is a request
 * reminder whose time has come (a request made less than a day before its deadline gets only
 * the 2-hour reminder; one made less than two hours before, none). The start, the end and a
 * request's expiry are never dropped: late, they still run.
 */
export const stepsToSchedule = (s: TimelineSession, now: Date): PlannedStep[] =>
  sessionSteps(s).filter(({ step, at }) => {
    if (approvalReminderOf(step)) return Date.parse(at) > now.getTime();
    return !isSessionReminder(step) || now.getTime() <= Date.parse(at) + REMINDER_TOLERANCE_MS;
  });

/**
 * Whether a step whose schedule fired now still runs: the session still plans it for the same
 * time (a moved, decided, closed or already stepped session does not), and a reminder is at
 * most REMINDER_TOLERANCE_MS late. The schedule is the clock: an expiry is never refused as early.
 */
export const isStepDue = (s: TimelineSession, planned: PlannedStep, now: Date): boolean =>
  sessionSteps(s).some((p) => p.step === planned.step && p.at === planned.at) &&
  (!(isSessionReminder(planned.step) || approvalReminderOf(planned.step)) || now.getTime() <= Date.parse(planned.at) + REMINDER_TOLERANCE_MS);
