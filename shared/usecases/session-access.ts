/**
 * Reading sessions on someone's behalf: who may see one (404 for everyone else, so its
 * existence is not revealed) and how it is shown. The read-decide-write retry: ./stale-retry.ts;
 * a read with the session's meeting or kept terms is beside its one use (./session-page.ts,
 * ./reschedule.ts), so that the other routes bundle neither entity.
 */
import { NotFoundError } from '../domain/errors';
import type { Session } from '../domain/session';
import { getSession, type StoredSession } from '../data/sessions';
import type { Caller } from '../domain/caller';

/** The session as the API shows it: without storage fields or workflow tokens. */
export const presentSession = (s: StoredSession | Session): Session => {
  const { version: _v, approvalTaskToken: _a, paymentTaskToken: _p, timelineTaskToken: _t, meetingHost: _h, dayReminderSentFor: _d, ...session } = s as StoredSession;
  return session;
};

/** The session's two parties and the admins; everyone else is told it does not exist. */
export const canSee = (caller: Caller, s: Session): boolean => s.studentId === caller.userId || s.tutorId === caller.userId || caller.roles.includes('admin');

/** A session the caller may see, or 404 whether it exists or not (its existence is not revealed). */
export const visibleSession = async (caller: Caller, id: string): Promise<StoredSession> => {
  const s = await getSession(id);
  if (!s || !canSee(caller, s)) throw new NotFoundError('No such session');
  return s;
};

/** A session whose meeting can be joined (and so needs, or keeps, a link). */
export const joinable = (s: Session) => s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS';
