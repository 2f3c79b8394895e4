/**
 * The workflow's steps. Each is idempotent: Step Functions may run a step again after a
 * timeout or a retry, so a step reads the session, does what is still to do with a
 * conditional write, and reports the state it found or made. None trusts the clock to
 * decide whether a wait is over: the workflow's timer is the authority. The session's
 * timeline after confirmation runs on schedules (shared/usecases/timeline.ts).
 */
import { sessionHoldBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { isActive, transition, type Session } from '../domain/session';
import { paymentDeadline, secondsUntil, type PlannedStep } from '../domain/timeline';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { notify as notifyInbox } from './notify';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { PAYMENT_UNVERIFIED } from '../workflow/definition';
import { settleCharge } from './payments';
import { createSessionMeeting, deleteSessionMeeting, releaseUnusedHost } from './meetings';
import { timelineScheduler, type TimelineScheduler } from '../integrations/scheduler';
import { syncSessionSchedules } from './timeline';
import { retryOnStale } from './session-access';
import { expireRequest as expire, isExpired } from './expiry';
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
  /** A confirmed booking's timeline: its schedules (shared/usecases/timeline.ts). */
  scheduler: TimelineScheduler;
  createMeeting: typeof createSessionMeeting;
}

export const defaultWorkflowDeps: WorkflowDeps = {
  clock: systemClock,
  workflow: bookingWorkflow,
  notify: notifyInbox,
  paystack: paystackClient,
  deleteMeeting: (session) => deleteSessionMeeting(session),
  scheduler: timelineScheduler,
  createMeeting: (sessionId) => createSessionMeeting(sessionId),
};

const load = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

const stateOf = (s: Session) => ({ status: s.status, paymentStatus: s.paymentStatus });

/**
 * The decision wait, where every execution starts. A pending request: its token is stored on
 * the session (whoever decides, or its expiry, ends the wait with it) and the tutor is told of
 * the request. Its deadline is the request's EXPIRE schedule, not this wait's timeout (a
 * backstop fixed at the start: shared/integrations/workflow.ts). Anything else needs no
 * decision, or had it before the token could be stored: the wait is ended here at once, so no
 * Choice state is needed (each costs a transition): an INSTANT booking or an approved request
 * goes on to its payment, a rejected request ends as Rejected, an expired or closed one as Closed.
 */
export const awaitDecision = async (sessionId: string, taskToken: string, deps = defaultWorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (current.status !== 'PENDING_MENTOR_REVIEW') return current;
    return transitionSession(current, { ...current, approvalTaskToken: taskToken });
  });
  // Once per session (the notifier stores an event once), also when the step runs again.
  if (s.status === 'PENDING_MENTOR_REVIEW') await deps.notify({ event: 'REQUEST_RECEIVED', session: s, to: ['tutor'] });
  else if (s.status === 'SCHEDULED') await deps.workflow.succeed(taskToken, { decision: s.bookingMode === 'INSTANT' ? 'INSTANT' : 'APPROVED' });
  else if (s.status === 'REJECTED' && !isExpired(s)) await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rejected, s.approvalNotes ?? 'Rejected');
  else await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, isExpired(s) ? 'Expired' : s.status);
  return stateOf(s);
};

/**
 * The decision wait's backstop timed out: the request's EXPIRE schedule never ran (the
 * timeline's dead-letter alarm says why). It expires now, unless it was decided meanwhile.
 */
export const expireRequest = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const { session } = await expire(sessionId, deps.clock);
  if (!session) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return stateOf(session);
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

/**
 * The booking is confirmed: the session's timeline is scheduled (its reminders, start and
 * end), both sides are told, and the workflow's part is done. `meetingUrl`: the meeting the
 * step made, stored on the session once.
 */
const confirm = async (sessionId: string, meetingUrl: string | null, deps: WorkflowDeps) => {
  const s = await retryOnStale(async () => {
    const current = await load(sessionId);
    if (!meetingUrl || current.meetingUrl) return current;
    return transitionSession(current, { ...current, meetingUrl, updatedAt: deps.clock().toISOString() });
  });
  // Before telling anyone: a retry after a failed notice puts the same schedules again.
  const timeline: PlannedStep[] = await syncSessionSchedules(sessionId, { clock: deps.clock, scheduler: deps.scheduler, notify: deps.notify });
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
export const confirmBooking = async (sessionId: string, deps = defaultWorkflowDeps) => {
  const meeting = await deps.createMeeting(sessionId);
  return { ...(await confirm(sessionId, meeting.joinUrl, deps)), meeting };
};

/** No meeting could be made: the booking stands, the tutor is asked for a link, and it is confirmed. */
export const meetingFallback = async (sessionId: string, deps = defaultWorkflowDeps) => {
  await releaseUnusedHost(sessionId);
  const s = await load(sessionId);
  if (!s.meetingUrl) await deps.notify({ event: 'MEETING_LINK_NEEDED', session: s, to: ['tutor'] });
  count('ZoomFallbacks');
  return confirm(sessionId, null, deps);
};
