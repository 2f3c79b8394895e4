/** AwaitPayment: the payment wait's task token stored on the session, or the wait ended at once. */
import type { Session } from '../../domain/session';
import { transitionSession } from '../../data/sessions';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../../integrations/workflow';
import { retryOnStale } from '../stale-retry';
import { loadSession, stateOf } from './step-session';

export interface AwaitPaymentDeps {
  /** Ends the wait itself when it has nothing to wait for. */
  workflow: BookingWorkflow;
}

export const defaultAwaitPaymentDeps: AwaitPaymentDeps = { workflow: bookingWorkflow };

/**
 * Stores the token; resumes at once if the payment came first (or the session no longer waits
 * for one: closed), and ends the wait as rescheduled if the payment deadline moved since it
 * was planned (`deadline`).
 */
export const awaitPayment = async (sessionId: string, taskToken: string, deadline?: string, deps: AwaitPaymentDeps = defaultAwaitPaymentDeps) => {
  const moved = (s: Session) => deadline !== undefined && (s.paymentDeadline ?? undefined) !== deadline;
  const s = await retryOnStale(async () => {
    const current = await loadSession(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING' || moved(current)) return current;
    return transitionSession(current, { ...current, paymentTaskToken: taskToken });
  });
  if (s.paymentStatus === 'PAID') await deps.workflow.succeed(taskToken, { paid: true });
  else if (s.status !== 'SCHEDULED' || s.paymentStatus !== 'PENDING') await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.closed, s.status);
  else if (moved(s)) await deps.workflow.fail(taskToken, WORKFLOW_ERRORS.rescheduled, 'The payment deadline moved before the wait began');
  return stateOf(s);
};
