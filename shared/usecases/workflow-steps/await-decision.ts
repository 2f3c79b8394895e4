/**
 * The decision wait, where every execution starts (AwaitDecision): its task token stored on
 * the request, or the wait ended at once when there is nothing to decide.
 */
import { isExpired } from '../../domain/session';
import { transitionSession } from '../../data/sessions';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../../integrations/workflow';
import { notify as notifyInbox } from '../notify';
import { retryOnStale } from '../stale-retry';
import { loadSession, stateOf } from './step-session';

export interface AwaitDecisionDeps {
  /** Ends the wait itself when it has nothing to wait for. */
  workflow: BookingWorkflow;
  /** Tells the tutor of the request. */
  notify: typeof notifyInbox;
}

export const defaultAwaitDecisionDeps: AwaitDecisionDeps = { workflow: bookingWorkflow, notify: notifyInbox };

/**
 * A pending request: its token is stored on the session (whoever decides, or its expiry, ends
 * the wait with it) and the tutor is told of the request. Its deadline is the request's EXPIRE
 * schedule, not this wait's timeout (a backstop fixed at the start: shared/integrations/
 * workflow.ts). Anything else needs no decision, or had it before the token could be stored:
 * the wait is ended here at once, so no Choice state is needed (each costs a transition): an
 * INSTANT booking or an approved request goes on to its payment, a rejected request ends as
 * Rejected, an expired or closed one as Closed.
 */
export const awaitDecision = async (sessionId: string, taskToken: string, deps: AwaitDecisionDeps = defaultAwaitDecisionDeps) => {
  const s = await retryOnStale(async () => {
    const current = await loadSession(sessionId);
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
