/**
 * A request nobody answered by its approval deadline expires: one conditional transaction
 * makes it REJECTED, frees its held blocks, stores both parties' notices and the workflow
 * callback that ends the execution's decision wait as closed (the table stream sends it). Run
 * by the request's EXPIRE schedule (shared/usecases/timeline.ts) and, were that schedule lost,
 * by the workflow's backstop timeout (ExpireRequest). A decision written first wins: the
 * request is then no longer pending and nothing is done.
 */
import { sessionHoldBlocks } from '../domain/booking';
import type { Clock } from '../domain/clock';
import { EXPIRED_NOTE, transition, type Session } from '../domain/session';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { workflowCallbackPuts, type WorkflowCallback } from '../data/workflow-callbacks';
import { WORKFLOW_OUTCOMES } from '../workflow/definition';
import { inboxWrites } from './notify';
import { retryOnStale } from './stale-retry';
import { count } from '../observability/metrics';

/**
 * Expires the session if it is still an unanswered request (and `due` says so of it as it is
 * now); answers the session as found or made, and whether this call expired it.
 */
export const expireRequest = async (
  sessionId: string,
  clock: Clock,
  due: (s: StoredSession) => boolean = () => true,
): Promise<{ session: StoredSession | undefined; expired: boolean }> => {
  let expired = false;
  const session = await retryOnStale(async () => {
    const current = await getSession(sessionId, { consistent: true });
    if (current?.status !== 'PENDING_MENTOR_REVIEW' || !due(current)) return current;
    const at = clock().toISOString();
    const { approvalTaskToken, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'EXPIRE', 'SYSTEM'), approvalNotes: EXPIRED_NOTE, rejectedAt: at, updatedAt: at };
    const notice = inboxWrites({ event: 'REQUEST_EXPIRED', session: next, to: ['student', 'tutor'] }, clock);
    // A wait whose token is not stored yet finds the request closed when it stores it (awaitDecision).
    const callbacks: WorkflowCallback[] = approvalTaskToken ? [{ action: 'fail', token: approvalTaskToken, error: WORKFLOW_OUTCOMES.closed, cause: 'Expired' }] : [];
    const stored = await transitionSession(current, next, {
      releaseBlocks: sessionHoldBlocks(current),
      extra: [...notice, ...workflowCallbackPuts(sessionId, current.version + 1, callbacks, at)],
    });
    expired = true;
    return stored;
  });
  if (expired) count('Expiries');
  return { session, expired };
};
