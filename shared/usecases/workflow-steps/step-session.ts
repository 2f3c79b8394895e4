/**
 * What every step of the booking workflow (this folder, one module per step) starts and ends
 * with. Each step is idempotent: Step Functions may run a step again after a timeout or a
 * retry, so a step reads the session, does what is still to do with a conditional write, and
 * reports the state it found or made. None trusts the clock to decide whether a wait is over:
 * the workflow's timer is the authority. The session's timeline after confirmation runs on
 * schedules (shared/usecases/timeline.ts).
 */
import { NotFoundError } from '../../domain/errors';
import type { Session } from '../../domain/session';
import { getSession, type StoredSession } from '../../data/sessions';

/** A step for a session that does not exist fails: the execution cannot go on. */
export const loadSession = async (sessionId: string): Promise<StoredSession> => {
  const s = await getSession(sessionId);
  if (!s) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return s;
};

/** What a step answers (the execution's history shows it). */
export const stateOf = (s: Session) => ({ status: s.status, paymentStatus: s.paymentStatus });
