/**
 * Session use cases: booking, reading, approving and rejecting. Each reads at most once and
 * writes in one transaction; the domain decides, the data layer enforces the conditions.
 */
import { ulid } from 'ulid';
import { bookingTerms } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { assertBeforeDeadline, liveInfo, transition, type Session } from '../domain/session';
import { createSession, getSession, StaleSessionError, transitionSession, type StoredSession } from '../data/sessions';
import { getTutorProfile } from '../data/tutors';
import { holdBlocks } from '../domain/booking';
import type { Caller } from '../http/auth';
import { bookingWorkflow, type BookingWorkflow } from '../integrations/workflow';
import { notify as notifyInbox } from '../integrations/notifier';
import type { CreateSessionBody } from '../schemas/session';

export interface Deps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
}

export const defaultDeps: Deps = { clock: systemClock, workflow: bookingWorkflow, notify: notifyInbox };

/** The session as the API shows it: without storage fields or workflow tokens. */
export const presentSession = (s: StoredSession | Session): Session => {
  const { version: _v, approvalTaskToken: _a, paymentTaskToken: _p, ...session } = s as StoredSession;
  return session;
};

/**
 * Read-decide-write, again if the item changed under us in a way that still allows the
 * decision (e.g. the workflow stored its task token meanwhile). A changed status makes the
 * decision itself fail with 409 on the next round.
 */
export const retryOnStale = async <T>(attempt: () => Promise<T>, attempts = 3): Promise<T> => {
  for (let i = 1; ; i += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof StaleSessionError) || i >= attempts) throw e;
    }
  }
};

/** The session page: the session plus whether it is live and how long until it starts. */
export const presentSessionPage = (s: StoredSession, now: Date) => ({ ...presentSession(s), ...liveInfo(s, now) });

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
  const stored = await createSession(session, terms.holdBlocks);
  await deps.workflow.start(stored);
  return { session: presentSession(stored) };
};

const canSee = (caller: Caller, s: Session): boolean =>
  s.studentId === caller.userId || s.tutorId === caller.userId || caller.roles.includes('admin');

/** A session the caller may see, or 404 whether it exists or not (its existence is not revealed). */
export const visibleSession = async (caller: Caller, id: string): Promise<StoredSession> => {
  const s = await getSession(id);
  if (!s || !canSee(caller, s)) throw new NotFoundError('No such session');
  return s;
};

export const readSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) =>
  presentSessionPage(await visibleSession(caller, id), deps.clock());

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
  if (token) await deps.workflow.approved(token, id);
  await deps.notify({ event: 'REQUEST_APPROVED', session: stored, to: ['student'] });
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
    const blocks = holdBlocks(new Date(s.scheduledAt), s.durationMinutes);
    return { stored: await transitionSession(s, next, { releaseBlocks: blocks }), token: approvalTaskToken };
  });
  if (token) await deps.workflow.rejected(token, id, reason);
  await deps.notify({ event: 'REQUEST_REJECTED', session: stored, to: ['student'], extra: { reason } });
  return presentSession(stored);
};
