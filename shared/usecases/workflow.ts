/**
 * The workflow's steps. Each is idempotent: Step Functions may run a step again after a
 * timeout or a retry, so a step reads the session, does what is still to do with a
 * conditional write, and reports the state it found or made. None trusts the clock to
 * decide whether a wait is over: the workflow's timer is the authority.
 */
import { holdBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { isActive, transition, type Session } from '../domain/session';
import { nextTimelineStep, paymentDeadline, secondsUntil, type TimelinePlan } from '../domain/timeline';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { notify as notifyInbox } from '../integrations/notifier';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { retryOnStale } from './session-access';

export interface WorkflowDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
}

export const defaultWorkflowDeps: WorkflowDeps = { clock: systemClock, workflow: bookingWorkflow, notify: notifyInbox };

const load = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

const stateOf = (s: Session) => ({ status: s.status, paymentStatus: s.paymentStatus });

const EXPIRED_NOTE = 'Expired: the tutor did not answer before the approval deadline.';

/** REQUEST: tell the tutor, and say how long the workflow waits for the decision. */
export const prepareApproval = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const s = await load(sessionId);
  if (s.status !== 'PENDING_MENTOR_REVIEW') return stateOf(s);
  await deps.notify({ event: 'REQUEST_RECEIVED', session: s, to: ['tutor'] });
  return { ...stateOf(s), timeoutSeconds: secondsUntil(s.approvalDeadline ?? s.scheduledAt, deps.clock()) };
};

/**
 * Stores the decision wait's task token on the session. If the tutor decided before the
 * token could be stored, nobody would ever use it: resume the workflow here instead.
 */
export const awaitDecision = async (sessionId: string, taskToken: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'PENDING_MENTOR_REVIEW') return current;
    return transitionSession(current, { ...current, approvalTaskToken: taskToken });
  });
  if (s.status === 'SCHEDULED') await deps.workflow.succeed(taskToken, { decision: 'APPROVED' });
  else if (s.status === 'REJECTED') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rejected, s.approvalNotes ?? 'Rejected');
  else if (s.status !== 'PENDING_MENTOR_REVIEW') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, s.status);
  return stateOf(s);
};

/** The approval deadline passed: auto-reject, unless the tutor's decision won the race. */
export const expireRequest = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'PENDING_MENTOR_REVIEW') return current;
    const at = deps.clock().toISOString();
    const { approvalTaskToken: _used, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'EXPIRE', 'SYSTEM'), approvalNotes: EXPIRED_NOTE, rejectedAt: at, updatedAt: at };
    return transitionSession(current, next, { releaseBlocks: holdBlocks(new Date(current.scheduledAt), current.durationMinutes) });
  });
  // Also on a re-run after the write: the notifier stores each event once.
  if (s.status === 'REJECTED' && s.approvalNotes === EXPIRED_NOTE) {
    await deps.notify({ event: 'REQUEST_EXPIRED', session: s, to: ['student', 'tutor'] });
  }
  return stateOf(s);
};

/** Fixes the payment deadline on the session and says how long the workflow waits for payment. */
export const preparePayment = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING' || current.paymentDeadline) return current;
    return transitionSession(current, { ...current, paymentDeadline: paymentDeadline(current).toISOString() });
  });
  if (s.status !== 'SCHEDULED' || s.paymentStatus !== 'PENDING') return stateOf(s);
  return { ...stateOf(s), paymentDeadline: s.paymentDeadline, timeoutSeconds: secondsUntil(s.paymentDeadline!, deps.clock()) };
};

/** Stores the payment wait's task token; resumes at once if the payment came first. */
export const awaitPayment = async (sessionId: string, taskToken: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING') return current;
    return transitionSession(current, { ...current, paymentTaskToken: taskToken });
  });
  if (s.paymentStatus === 'PAID') await deps.workflow.succeed(taskToken, { paid: true });
  else if (s.status !== 'SCHEDULED') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, s.status);
  return stateOf(s);
};

/** Cancels an active, unpaid booking and frees its slot; a paid one is left alone. */
const cancelIfUnpaid = async (sessionId: string, reason: string, deps: WorkflowDeps) => {
  let cancelled = false;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (!isActive(current.status) || current.paymentStatus === 'PAID') return current;
    const at = deps.clock().toISOString();
    const { approvalTaskToken: _a, paymentTaskToken: _p, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'CANCEL', 'SYSTEM'), cancellationReason: reason, cancelledAt: at, updatedAt: at };
    const stored = await transitionSession(current, next, { releaseBlocks: holdBlocks(new Date(current.scheduledAt), current.durationMinutes) });
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
  const s = await load(sessionId);
  if (!s.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: s, to: ['tutor'] });
  return stateOf(s);
};

/** The booking is paid (and has a meeting if one could be made): tell both sides. */
export const confirmBooking = async (sessionId: string, meetingUrl: string | null, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (!meetingUrl || current.meetingUrl) return current;
    return transitionSession(current, { ...current, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  if (s.status === 'SCHEDULED' && s.paymentStatus === 'PAID') {
    await deps.notify({ event: 'BOOKING_CONFIRMED', session: s, to: ['student'] });
    await deps.notify({ event: 'PAYMENT_RECEIVED', session: s, to: ['tutor'] });
  }
  return stateOf(s);
};

export const planTimeline = async (sessionId: string): Promise<TimelinePlan> => nextTimelineStep(await load(sessionId));

/**
 * Runs the planned step if the session still plans it for the same time (a rescheduled or
 * cancelled session plans again instead).
 */
export const runTimelineStep = async (sessionId: string, planned: TimelinePlan, deps = defaultWorkflowDeps) => {
  let reminded: StoredSession | undefined;
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    const now = nextTimelineStep(current);
    if (now.step !== planned.step || now.wakeAt !== planned.wakeAt) {
      // This very reminder, written by an earlier try of the step that failed before it told
      // anyone: tell them now (the notifier stores and pushes it once).
      const before = nextTimelineStep({ ...current, reminderSentFor: null });
      if (planned.step === 'REMIND' && current.reminderSentFor === current.scheduledAt && before.step === 'REMIND' && before.wakeAt === planned.wakeAt) reminded = current;
      return current;
    }
    const at = deps.clock().toISOString();
    switch (planned.step) {
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
  if (reminded) await deps.notify({ event: 'SESSION_REMINDER', session: reminded, to: ['student', 'tutor'], occurrence: reminded.scheduledAt });
  return stateOf(s);
};
