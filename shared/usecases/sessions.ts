/**
 * Session use cases: booking, reading, approving and rejecting. Each reads at most once and
 * writes in one transaction; the domain decides, the data layer enforces the conditions.
 */
import { ulid } from 'ulid';
import { bookingTerms } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors';
import { assertBeforeDeadline, liveInfo, transition, type Session } from '../domain/session';
import { createSession, getSession, transitionSession, type StoredSession } from '../data/sessions';
import { getTutorProfile } from '../data/tutors';
import { holdBlocks } from '../domain/booking';
import type { Caller } from '../http/auth';
import type { CreateSessionBody } from '../schemas/session';

export interface Deps {
  clock: Clock;
}

export const defaultDeps: Deps = { clock: systemClock };

/** The session as the API shows it: without storage fields. */
export const presentSession = (s: StoredSession | Session) => {
  const { version: _version, ...session } = s as StoredSession;
  return session;
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

export const approveSession = async (caller: Caller, id: string, deps: Deps = defaultDeps) => {
  const s = await asTutorOf(caller, id);
  const status = transition(s.status, 'APPROVE', 'TUTOR');
  const now = deps.clock();
  assertBeforeDeadline(s, now);
  const next: Session = { ...s, status, updatedAt: now.toISOString() };
  return presentSession(await transitionSession(s, next));
};

export const rejectSession = async (caller: Caller, id: string, reason: string, deps: Deps = defaultDeps) => {
  const s = await asTutorOf(caller, id);
  const status = transition(s.status, 'REJECT', 'TUTOR');
  const now = deps.clock();
  assertBeforeDeadline(s, now);
  const at = now.toISOString();
  const next: Session = { ...s, status, approvalNotes: reason, rejectedAt: at, updatedAt: at };
  return presentSession(await transitionSession(s, next, { releaseBlocks: holdBlocks(new Date(s.scheduledAt), s.durationMinutes) }));
};
