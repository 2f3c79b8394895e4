/**
 * Session use cases: booking, reading, approving and rejecting. Each reads at most once and
 * writes in one transaction; the domain decides, the data layer enforces the conditions.
 * What follows a write happens off the request, driven by the table stream: a new booking's
 * workflow is started and a decision's callback resumes it (functions/streams/startWorkflow.ts),
 * a stored notification is pushed (functions/streams/pushNotifications.ts).
 */
import { ulid } from 'ulid';
import { bookingTerms, sessionHoldBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, ValidationError } from '../domain/errors';
import { assertBeforeDeadline, liveInfo, transition, type Session } from '../domain/session';
import { insertSession, transitionSession, type StoredSession } from '../data/sessions';
import { presentSession, retryOnStale, visibleSession, visibleSessionWithMeeting } from './session-access';
import { hostsZoomMeeting } from './meetings';
import { getTutorProfileVersioned } from '../data/tutors';
import { sessionTermsPut } from '../data/session-terms';
import type { Caller } from '../domain/caller';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { inboxWrites } from './notify';
import { paystack, type PaystackClient } from '../integrations/paystack';
import { paymentPut } from '../data/payments';
import { openTransaction, paymentLink } from './payments';
import type { CreateSessionBody } from '../schemas/session';
import { count } from '../observability/metrics';

export interface Deps {
  clock: Clock;
  workflow: BookingWorkflow;
  paystack: PaystackClient;
}

export const defaultDeps: Deps = { clock: systemClock, workflow: bookingWorkflow, paystack };

/** The session page: the session plus whether it is live and how long until it starts. */
export const presentSessionPage = (s: StoredSession, now: Date) => ({ ...presentSession(s), ...liveInfo(s, now) });

export const createSession = async (caller: Caller, body: CreateSessionBody, deps: Deps = defaultDeps) => {
  const read = await getTutorProfileVersioned(body.tutorId);
  if (!read) throw new ValidationError('Invalid booking', [{ path: 'tutorId', message: 'No such tutor' }]);
  const tutor = read.profile;
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
    // Its workflow is started from the table stream (named after the session, so once). The
    // tutor's terms are kept beside it: a move checks them instead of reading the profile.
    const stored = await insertSession(session, terms.holdBlocks, [sessionTermsPut(session.id, tutor, read.version, at)]);
    count('BookingsCreated', 1, { mode: stored.bookingMode });
    return { session: presentSession(stored) };
  }
  // INSTANT: the checkout first (nothing is held if Paystack is down), then the booking, its
  // payment record and its terms in one transaction (a lost slot leaves only an unused checkout).
  const payment = await openTransaction(session, caller, deps);
  const stored = await insertSession({ ...session, paymentReference: payment.reference }, terms.holdBlocks, [
    paymentPut(payment),
    sessionTermsPut(session.id, tutor, read.version, at),
  ]);
  count('BookingsCreated', 1, { mode: stored.bookingMode });
  return { session: presentSession(stored), payment: paymentLink(payment) };
};

/**
 * The session page, read with its meeting in one Query. The session's tutor also learns
 * whether they can start its Zoom meeting as host (`hostsMeeting`: GET …/host-link).
 */
export const getSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) => {
  const { session, meeting } = await visibleSessionWithMeeting(caller, id);
  const page = presentSessionPage(session, deps.clock());
  return hostsZoomMeeting(caller, session, meeting) ? { ...page, hostsMeeting: true } : page;
};

const asTutorOf = async (caller: Caller, id: string): Promise<StoredSession> => {
  const s = await visibleSession(caller, id);
  if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can decide on it");
  return s;
};

/**
 * The tutor's decision: one read, one transaction, no other call. The transaction replaces the
 * session (only if nobody changed it since it was read), stores the student's notification
 * and, when the workflow waits for the decision with a task token on the item we replace, the
 * callback that resumes it: the table stream sends that (functions/streams/startWorkflow.ts).
 * A token stored a moment before our write is never missed; one stored after it finds the
 * session decided, and its step moves on by itself. The student hears of the decision even if
 * the workflow cannot be told at once, and never of a decision that did not happen.
 */
export const approveSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) => {
  const stored = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'APPROVE', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvedAt: now.toISOString(), updatedAt: now.toISOString() };
    const notice = inboxWrites({ event: 'REQUEST_APPROVED', session: next, to: ['student'] }, deps.clock);
    // The tutor's reminders of the request are no longer wanted: the stream deletes their schedules.
    const resume = [...(approvalTaskToken ? [{ action: 'succeed' as const, token: approvalTaskToken, output: { decision: 'APPROVED' } }] : []), { action: 'schedules' as const }];
    return transitionSession(s, next, { extra: [...notice, ...workflowCallbackPuts(id, s.version + 1, resume, now.toISOString())] });
  });
  count('Approvals');
  return presentSession(stored);
};

export const rejectSession = async (caller: Caller, id: string, reason: string, deps: Deps = defaultDeps) => {
  const stored = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'REJECT', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const at = now.toISOString();
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvalNotes: reason, rejectedAt: at, updatedAt: at };
    const blocks = sessionHoldBlocks(s);
    const notice = inboxWrites({ event: 'REQUEST_REJECTED', session: next, to: ['student'], extra: { reason } }, deps.clock);
    const resume = [
      ...(approvalTaskToken ? [{ action: 'fail' as const, token: approvalTaskToken, error: WORKFLOW_ERRORS.rejected, cause: reason.slice(0, 256) }] : []),
      { action: 'schedules' as const },
    ];
    return transitionSession(s, next, { releaseBlocks: blocks, extra: [...notice, ...workflowCallbackPuts(id, s.version + 1, resume, at)] });
  });
  count('Rejections');
  return presentSession(stored);
};
