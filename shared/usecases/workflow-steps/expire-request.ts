/**
 * ExpireRequest: the decision wait's backstop timed out, so the request's EXPIRE schedule
 * never ran (the timeline's dead-letter alarm says why). It expires now, unless it was decided
 * meanwhile: the same expiry as the schedule's (shared/usecases/expiry.ts).
 */
import { systemClock, type Clock } from '../../domain/clock';
import { NotFoundError } from '../../domain/errors';
import { expireRequest as expire } from '../expiry';
import { stateOf } from './step-session';

export interface ExpireRequestDeps {
  clock: Clock;
}

export const defaultExpireRequestDeps: ExpireRequestDeps = { clock: systemClock };

export const expireRequest = async (sessionId: string, deps: ExpireRequestDeps = defaultExpireRequestDeps) => {
  const { session } = await expire(sessionId, deps.clock);
  if (!session) throw new NotFoundError(`Session ${sessionId} does not exist`);
  return stateOf(session);
};
