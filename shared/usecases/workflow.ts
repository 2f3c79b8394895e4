/**
 * The workflow's steps. Each is idempotent: Step Functions may run a step again after a
 * timeout or a retry, so a step reads the session, does what is still to do with a
 * conditional write, and reports the state it found or made. None trusts the clock to
 * decide whether a wait is over: the workflow's timer is the authority.
 */
import { sessionHoldBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { isActive, transition, type Session } from '../domain/session';
import {
  isDue,
  MAX_TIMELINE_WAIT_SECONDS,
  nextApprovalReminder,
  nextTimelineStep,
  paymentDeadline,
  secondsUntil,
  timelineWait,
  type ApprovalReminder,
  type TimelinePlan,
  type TimelineWait,
} from '../domain/timeline';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { notify as notifyInbox } from './notify';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { PAYMENT_UNVERIFIED } from '../workflow/definition';
import { settleCharge } from './payments';
import { deleteSessionMeeting, releaseUnusedHost } from './meetings';
import { retryOnStale } from './session-access';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';

export interface WorkflowDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
  /** Asked whether an unpaid booking was paid after all, before it is released. */
  paystack: PaystackClient;
  /** Settling a payment found paid may close a session that was closed meanwhile, meeting and all. */
  deleteMeeting: (session: Session) => Promise<void>;
}

export const defaultWorkflowDeps: WorkflowDeps = {
  clock: systemClock,
  workflow: bookingWorkflow,
  notify: notifyInbox,
  paystack: paystackClient,
  deleteMeeting: (session) => deleteSessionMeeting(session),
};

const load = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

const stateOf = (s: Session) => ({ status: s.status, paymentStatus: s.paymentStatus });

const EXPIRED_NOTE = 'Expired: the tutor did not answer before the approval deadline.';

/** Until when the workflow waits for the tutor's decision. */
const decisionDeadline = (s: Session): string => s.approvalDeadline ?? s.scheduledAt;

/**
 * How long the decision wait lasts: until the next reminder point still ahead (`remind` says
 * which), or else until the deadline. A wait that ends at a reminder point is followed by
 * ExpireRequest's reminder and a fresh wait; one that ends at the deadline, by the expiry.
 */
const decisionWait = (deadline: string, now: Date, after?: ApprovalReminder) => {
  const next = nextApprovalReminder(deadline, now, after);
  return next ? { remind: next.remind, timeoutSeconds: secondsUntil(next.at, now) } : { timeoutSeconds: secondsUntil(deadline, now) };
};

/**
 * REQUEST: tell the tutor, and say how long (and until when) the workflow waits for the decision.
 * A request decided already is planned the same way: AwaitDecision's step ends that wait at
 * once (approved → payment, otherwise closed), so no Choice state is needed (each costs a
 * transition); were its timeout first, ExpireRequest leaves a decided request alone.
 */
export const prepareApproval = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const s = await load(sessionId);
  // Once per session (the notifier stores an event once), also when a reschedule comes back here.
  if (s.status === 'PENDING_MENTOR_REVIEW') await deps.notify({ event: 'REQUEST_RECEIVED', session: s, to: ['tutor'] });
  return { ...stateOf(s), deadline: decisionDeadline(s), ...decisionWait(decisionDeadline(s), deps.clock()) };
};

/**
 * Stores the decision wait's task token on the session. If the tutor decided before the
 * token could be stored, nobody would ever use it: resume the workflow here instead. The
 * same if the session was moved to another deadline than the one this wait was planned
 * for (`deadline`): the wait is ended as rescheduled, and planned again.
 */
export const awaitDecision = async (sessionId: string, taskToken: string, deadline?: string, deps = defaultWorkflowDeps) => {
  const moved = (s: Session) => deadline !== undefined && decisionDeadline(s) !== deadline;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'PENDING_MENTOR_REVIEW' || moved(current)) return current;
    return transitionSession(current, { ...current, approvalTaskToken: taskToken });
  });
  if (s.status === 'SCHEDULED') await deps.workflow.succeed(taskToken, { decision: 'APPROVED' });
  else if (s.status === 'REJECTED') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rejected, s.approvalNotes ?? 'Rejected');
  else if (s.status !== 'PENDING_MENTOR_REVIEW') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, s.status);
  else if (moved(s)) await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rescheduled, 'The session was moved before the wait began');
  return stateOf(s);
};

/**
 * The decision wait timed out. At a reminder point (`planned.remind`), the tutor is reminded
 * if the request is still unanswered, and the next wait is planned (AfterExpiry sends the
 * execution back to AwaitDecision with a fresh token). A decision committed meanwhile (its
 * callback, with the old token, then finds the wait timed out and is taken as done) is not
 * lost: the fresh wait's step finds the session decided and routes on as the decision would
 * have. At the deadline itself, the request expires.
 */
export const approvalTimeout = async (sessionId: string, planned: { remind?: ApprovalReminder; deadline?: string } | undefined, deps = defaultWorkflowDeps) => {
  if (!planned?.remind) return expireRequest(sessionId, deps);
  const s = await load(sessionId);
  const deadline = planned.deadline ?? decisionDeadline(s);
  // Moved meanwhile: no reminder for the old deadline; the fresh wait's step ends itself as rescheduled.
  if (s.status === 'PENDING_MENTOR_REVIEW' && decisionDeadline(s) === deadline) {
    await deps.notify({ event: 'APPROVAL_DEADLINE_APPROACHING', session: s, to: ['tutor'], occurrence: `${planned.remind}@${deadline}`, lead: planned.remind });
  }
  return { ...stateOf(s), deadline, ...decisionWait(deadline, deps.clock(), planned.remind) };
};

/** The approval deadline passed: auto-reject, unless the tutor's decision won the race. */
export const expireRequest = async (sessionId: string, deps = defaultWorkflowDeps) => {
  let expired = false;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'PENDING_MENTOR_REVIEW') return current;
    const at = deps.clock().toISOString();
    const { approvalTaskToken: _used, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'EXPIRE', 'SYSTEM'), approvalNotes: EXPIRED_NOTE, rejectedAt: at, updatedAt: at };
    const stored = await transitionSession(current, next, { releaseBlocks: sessionHoldBlocks(current) });
    expired = true;
    return stored;
  });
  // Counted by the run that wrote it, not by a re-run of the step.
  if (expired) count('Expiries');
  // Also on a re-run after the write: the notifier stores each event once.
  if (s.status === 'REJECTED' && s.approvalNotes === EXPIRED_NOTE) {
    await deps.notify({ event: 'REQUEST_EXPIRED', session: s, to: ['student', 'tutor'] });
  }
  return stateOf(s);
};

/**
 * Fixes the payment deadline on the session and says how long the workflow waits for payment.
 * A session paid or closed already is planned too: AwaitPayment's step ends that wait at once
 * (paid → meeting, otherwise closed), so no Choice state is needed; were its timeout first,
 * CancelUnpaid leaves a paid or closed session alone.
 */
export const preparePayment = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING' || current.paymentDeadline) return current;
    return transitionSession(current, { ...current, paymentDeadline: paymentDeadline(current).toISOString() });
  });
  const deadline = s.paymentDeadline ?? paymentDeadline(s).toISOString();
  return { ...stateOf(s), ...(s.paymentDeadline ? { paymentDeadline: s.paymentDeadline } : {}), timeoutSeconds: secondsUntil(deadline, deps.clock()) };
};

/**
 * Stores the payment wait's task token; resumes at once if the payment came first (or the
 * session no longer waits for one: closed), and ends the wait as rescheduled if the payment
 * deadline moved since it was planned (`deadline`).
 */
export const awaitPayment = async (sessionId: string, taskToken: string, deadline?: string, deps = defaultWorkflowDeps) => {
  const moved = (s: Session) => deadline !== undefined && (s.paymentDeadline ?? undefined) !== deadline;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING' || moved(current)) return current;
    return transitionSession(current, { ...current, paymentTaskToken: taskToken });
  });
  if (s.paymentStatus === 'PAID') await deps.workflow.succeed(taskToken, { paid: true });
  else if (s.status !== 'SCHEDULED' || s.paymentStatus !== 'PENDING') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, s.status);
  else if (moved(s)) await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rescheduled, 'The payment deadline moved before the wait began');
  return stateOf(s);
};

/**
 * Paystack could not be asked whether a booking was paid: thrown by a step that would release
 * it, so that Step Functions retries the step and, if it stays so, leaves it to an operator
 * (the definition's PaymentUnverified). Never a reason to release the booking blind.
 */
export class PaymentUnverifiedError extends Error {
  override readonly name = PAYMENT_UNVERIFIED;
}

/**
 * Our record says unpaid, but the student may have paid and the charge.success webhook not
 * got through (Paystack unreachable when the webhook verified it, or a delivery still
 * pending): the session's open transaction is verified with Paystack and, if paid, settled
 * exactly as the webhook settles it (the same conditional writes, so a webhook arriving too
 * changes nothing more). Paystack not knowing the reference means nothing was paid with it.
 */
const settleOpenPayment = async (s: Session, deps: WorkflowDeps): Promise<void> => {
  if (!isActive(s.status) || s.paymentStatus !== 'PENDING' || !s.paymentReference) return;
  try {
    const outcome = await settleCharge(s.paymentReference, deps);
    if (outcome === 'credited') logger.warn('Payment found paid at Paystack before releasing the booking; confirmed', { sessionId: s.id, reference: s.paymentReference });
  } catch (e) {
    if (!isPaystackError(e)) throw e;
    if (e.code === 'NOT_FOUND') return;
    logger.error('Paystack could not be asked whether the booking was paid; it is not released', {
      sessionId: s.id,
      reference: s.paymentReference,
      code: e.code,
      status: e.status,
    });
    throw new PaymentUnverifiedError(`Paystack could not verify ${s.paymentReference}: ${e.code}`, { cause: e });
  }
};

/**
 * Cancels an active, unpaid booking and frees its slot; a paid one is left alone, and one
 * that Paystack says is paid is confirmed instead (its step reports PAID).
 */
const cancelIfUnpaid = async (sessionId: string, reason: string, deps: WorkflowDeps) => {
  await settleOpenPayment(await load(sessionId), deps);
  let cancelled = false;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (!isActive(current.status) || current.paymentStatus === 'PAID') return current;
    const at = deps.clock().toISOString();
    const { approvalTaskToken: _a, paymentTaskToken: _p, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'CANCEL', 'SYSTEM'), cancellationReason: reason, cancelledAt: at, updatedAt: at };
    const stored = await transitionSession(current, next, { releaseBlocks: sessionHoldBlocks(current) });
    cancelled = true;
    return stored;
  });
  if (cancelled || (s.status === 'CANCELLED' && s.cancellationReason === reason)) {
    await deps.notify({ event: 'SESSION_CANCELLED', session: s, to: ['student', 'tutor'], extra: { reason } });
  }
  return stateOf(s);
};

export const PAYMENT_WINDOW_REASON = 'Not paid within the payment window';
export const SYSTEM_ERROR_REASON = 'We could not complete this booking because of a system error; nothing was charged';

export const cancelUnpaid = (sessionId: string, deps = defaultWorkflowDeps) => cancelIfUnpaid(sessionId, PAYMENT_WINDOW_REASON, deps);

/** A step failed before payment: release the unpaid booking rather than hold the slot forever. */
export const releaseOnError = (sessionId: string, deps = defaultWorkflowDeps) => cancelIfUnpaid(sessionId, SYSTEM_ERROR_REASON, deps);

/** No meeting could be created: the booking stands, the tutor is asked for a link. */
export const meetingFallback = async (sessionId: string, deps = defaultWorkflowDeps) => {
  await releaseUnusedHost(sessionId);
  const s = await load(sessionId);
  if (!s.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: s, to: ['tutor'] });
  count('ZoomFallbacks');
  return stateOf(s);
};

/**
 * The wait before the session's next timeline step, as WaitUntilNextStep takes it. The steps
 * that change the session (ConfirmBooking, RunTimelineStep) answer it themselves, which saves
 * a PlanTimeline transition per step. With nothing left (DONE), WaitUntilNextStep's step ends
 * the wait at once with success, which ends the execution: its timeout is only a bound (were it
 * reached, RunTimelineStep finds nothing due and the same wait comes again).
 */
const nextWait = (s: StoredSession, previous: TimelineWait | undefined, deps: WorkflowDeps): TimelineWait => {
  const now = deps.clock();
  const wait = timelineWait(nextTimelineStep(s, now), previous, now);
  return wait.step === 'DONE' ? { ...wait, timeoutSeconds: MAX_TIMELINE_WAIT_SECONDS } : wait;
};

/**
 * The booking is paid (and has a meeting if one could be made): tell both sides. Answers the
 * wait before the first timeline step.
 */
export const confirmBooking = async (sessionId: string, meetingUrl: string | null, deps = defaultWorkflowDeps): Promise<TimelineWait> => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (!meetingUrl || current.meetingUrl) return current;
    return transitionSession(current, { ...current, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    await deps.notify({ event: 'BOOKING_CONFIRMED', session: s, to: ['student'] });
    await deps.notify({ event: 'PAYMENT_RECEIVED', session: s, to: ['tutor'] });
  }
  return nextWait(s, undefined, deps);
};

/**
 * The next step of the timeline and how long to wait for it, planned again from the session
 * after a wait was interrupted (a reschedule): counted from the clock.
 */
export const planTimeline = async (sessionId: string, deps = defaultWorkflowDeps): Promise<TimelineWait> => nextWait(await load(sessionId), undefined, deps);

const plansFor = (s: StoredSession, planned: TimelinePlan, now: Date): boolean => {
  const plan = nextTimelineStep(s, now);
  return plan.step === planned.step && plan.wakeAt === planned.wakeAt;
};

/**
 * Stores the timeline wait's task token on the session, so that a reschedule can end the
 * wait. If the session no longer plans this step for this time (it was moved or closed
 * before the token could be stored), the wait is ended at once and planned again. A wait
 * planned with nothing left (DONE) is ended at once with success: the execution ends there.
 */
export const awaitTimeline = async (sessionId: string, taskToken: string, planned: TimelinePlan, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (planned.step === 'DONE' || !plansFor(current, planned, deps.clock())) return current;
    return transitionSession(current, { ...current, timelineTaskToken: taskToken });
  });
  if (!plansFor(s, planned, deps.clock())) await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rescheduled, 'The session changed before the wait began');
  else if (planned.step === 'DONE') await deps.workflow.succeed(taskToken, stateOf(s));
  return stateOf(s);
};

/**
 * Runs the planned step if the session still plans it for the same time (a rescheduled or
 * cancelled session plans again instead). Answers the wait before the next step.
 */
export const runTimelineStep = async (sessionId: string, planned: TimelineWait, deps = defaultWorkflowDeps): Promise<TimelineWait> => {
  // Only a part of a long wait ended: the step is not due yet; the next wait continues it.
  if (!isDue(planned)) return nextWait(await load(sessionId), planned, deps);
  let reminded: StoredSession | undefined;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    const now = deps.clock();
    if (!plansFor(current, planned, now)) {
      // This very reminder, written by an earlier try of the step that failed before it told
      // anyone: tell them now (the notifier stores and pushes it once).
      if (planned.step === 'REMIND_DAY' || planned.step === 'REMIND') {
        const field = planned.step === 'REMIND_DAY' ? 'dayReminderSentFor' : 'reminderSentFor';
        if (current[field] === current.scheduledAt && plansFor({ ...current, [field]: null }, planned, now)) reminded = current;
      }
      return current;
    }
    const at = now.toISOString();
    switch (planned.step) {
      case 'REMIND_DAY':
        reminded = await transitionSession(current, { ...current, dayReminderSentFor: current.scheduledAt });
        return reminded;
      case 'REMIND':
        reminded = await transitionSession(current, { ...current, reminderSentFor: current.scheduledAt });
        return reminded;
      case 'START':
        return transitionSession(current, { ...current, status: transition(current.status, 'START', 'SYSTEM'), updatedAt: at });
      case 'COMPLETE':
        return transitionSession(current, { ...current, status: transition(current.status, 'COMPLETE', 'SYSTEM'), updatedAt: at });
      case 'DONE':
        return current;
    }
  });
  if (reminded) {
    // Each reminder once per start time: a rescheduled session is reminded again.
    const lead = planned.step === 'REMIND_DAY' ? '24h' : '15m';
    const occurrence = lead === '24h' ? `24h@${reminded.scheduledAt}` : reminded.scheduledAt;
    await deps.notify({ event: 'SESSION_REMINDER', session: reminded, to: ['student', 'tutor'], occurrence, lead });
  }
  return nextWait(s, planned, deps);
};
