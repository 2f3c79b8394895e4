/**
 * Session use cases: booking, reading, approving and rejecting. Each reads at most once and
 * writes in one transaction; the domain decides, the data layer enforces the conditions.
 */
import { ulid } from 'ulid';
import { bookingTerms, sessionHoldBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { assertBeforeDeadline, liveInfo, transition, type Session } from '../domain/session';
import { createSession, transitionSession, type StoredSession } from '../data/sessions';
import { presentSession, retryOnStale, visibleSession, visibleSessionWithMeeting } from './session-access';
import { hostStartUrl } from './meetings';
import { getTutorProfile } from '../data/tutors';
import type { Caller } from '../http/auth';
import { bookingWorkflow, type BookingWorkflow } from '../integrations/workflow';
import { notify as notifyInbox } from '../integrations/notifier';
import { paystack, type PaystackClient } from '../integrations/paystack';
import { paymentPut } from '../data/payments';
import { openTransaction, paymentLink } from './payments';
import type { CreateSessionBody } from '../schemas/session';

export interface Deps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
  paystack: PaystackClient;
}

export const defaultDeps: Deps = { clock: systemClock, workflow: bookingWorkflow, notify: notifyInbox, paystack };

/** The session page: the session plus whether it is live and how long until it starts. */
export const presentSessionPage = (s: StoredSession, now: Date) => ({ ...presentSession(s), ...liveInfo(s, now) });

/**
 * The booking is written; its workflow is started next. If Step Functions is unreachable the
 * booking still stands (the student is not told to retry a booking that exists): the failure
 * is logged for operators, and starting the execution later by session id is harmless.
 */
const startWorkflow = async (session: StoredSession, deps: Deps): Promise<void> => {
  try {
    await deps.workflow.start(session);
  } catch (e) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'Workflow not started for a booking', sessionId: session.id, error: String(e) }));
  }
};

export const bookSession = async (caller: Caller, body: CreateSessionBody, deps: Deps = defaultDeps) => {
  const tutor = await getTutorProfile(body.tutorId);
  if (!tutor) throw new ValidationError('Invalid booking', [{ path: 'tutorId', message: 'No such tutor' }]);
  const now = deps.clock();
  const terms = bookingTerms(caller.userId, tutor, body, now);
  const at = now.toISOString();
  const session: Session = {
    id: ulid(now.getTime()),
    studentId: caller.userId,
    tutorId: tutor.id,
    student: { id: caller.userId, displayName: caller.name ?? caller.userId },
    tutor: { id: tutor.id, displayName: tutor.displayName },
    title: body.title,
    notes: body.notes ?? null,
    scheduledAt: body.scheduledAt.toISOString(),
    durationMinutes: body.durationMinutes,
    bufferMinutes: terms.bufferMinutes,
    price: terms.price,
    bookingMode: body.bookingMode,
    status: body.bookingMode === 'REQUEST' ? 'PENDING_MENTOR_REVIEW' : 'SCHEDULED',
    paymentStatus: 'PENDING',
    meetingUrl: null,
    approvalNotes: null,
    rejectedAt: null,
    approvalDeadline: terms.approvalDeadline?.toISOString() ?? null,
    createdAt: at,
    updatedAt: at,
  };
  if (session.bookingMode === 'REQUEST') {
    const stored = await createSession(session, terms.holdBlocks);
    await startWorkflow(stored, deps);
    return { session: presentSession(stored) };
  }
  // INSTANT: the checkout first (nothing is held if Paystack is down), then the booking and
  // its payment record in one transaction (a lost slot leaves only an unused checkout).
  const payment = await openTransaction(session, caller, deps);
  const stored = await createSession({ ...session, paymentReference: payment.reference }, terms.holdBlocks, [paymentPut(payment)]);
  await startWorkflow(stored, deps);
  return { session: presentSession(stored), payment: paymentLink(payment) };
};

/**
 * The session page, read with its meeting in one Query. The session's tutor also gets the
 * Zoom meeting's host link (`hostStartUrl`); nobody else ever does.
 */
export const readSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) => {
  const { session, meeting } = await visibleSessionWithMeeting(caller, id);
  const page = presentSessionPage(session, deps.clock());
  const startUrl = hostStartUrl(caller, session, meeting);
  return startUrl ? { ...page, hostStartUrl: startUrl } : page;
};

const asTutorOf = async (caller: Caller, id: string): Promise<StoredSession> => {
  const s = await visibleSession(caller, id);
  if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can decide on it");
  return s;
};

/**
 * The tutor's decision: our own conditional write first, then the workflow is told with the
 * task token that was on the item we replaced (so a token stored a moment before our write
 * is never missed; one stored after it finds the session decided and moves on by itself).
 */
export const approveSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) => {
  const { stored, token } = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'APPROVE', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvedAt: now.toISOString(), updatedAt: now.toISOString() };
    return { stored: await transitionSession(s, next), token: approvalTaskToken };
  });
  try {
    if (token) await deps.workflow.approved(token, id);
  } finally {
    // The decision is written: the student hears of it even if the workflow could not be told.
    await deps.notify({ event: 'REQUEST_APPROVED', session: stored, to: ['student'] });
  }
  return presentSession(stored);
};

export const rejectSession = async (caller: Caller, id: string, reason: string, deps: Deps = defaultDeps) => {
  const { stored, token } = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'REJECT', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const at = now.toISOString();
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvalNotes: reason, rejectedAt: at, updatedAt: at };
    const blocks = sessionHoldBlocks(s);
    return { stored: await transitionSession(s, next, { releaseBlocks: blocks }), token: approvalTaskToken };
  });
  try {
    if (token) await deps.workflow.rejected(token, id, reason);
  } finally {
    await deps.notify({ event: 'REQUEST_REJECTED', session: stored, to: ['student'], extra: { reason } });
  }
  return presentSession(stored);
};
