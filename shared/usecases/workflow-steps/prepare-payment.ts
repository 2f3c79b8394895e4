/** PreparePayment: the payment deadline fixed on the session, and how long the workflow waits for payment. */
import { systemClock, type Clock } from '../../domain/clock';
import { paymentDeadline, secondsUntil } from '../../domain/timeline';
import { transitionSession } from '../../data/sessions';
import { retryOnStale } from '../stale-retry';
import { loadSession, stateOf } from './step-session';

export interface PreparePaymentDeps {
  clock: Clock;
}

export const defaultPreparePaymentDeps: PreparePaymentDeps = { clock: systemClock };

/**
 * A session paid or closed already is planned too: AwaitPayment's step ends that wait at once
 * (paid → meeting, otherwise closed), so no Choice state is needed; were its timeout first,
 * CancelUnpaid leaves a paid or closed session alone.
 */
export const preparePayment = async (sessionId: string, deps: PreparePaymentDeps = defaultPreparePaymentDeps) => {
  const s = await retryOnStale(async () => {
    const current = await loadSession(sessionId);
    if (current.status !== 'SCHEDULED' || current.paymentStatus !== 'PENDING' || current.paymentDeadline) return current;
    return transitionSession(current, { ...current, paymentDeadline: paymentDeadline(current).toISOString() });
  });
  const deadline = s.paymentDeadline ?? paymentDeadline(s).toISOString();
  return { ...stateOf(s), ...(s.paymentDeadline ? { paymentDeadline: s.paymentDeadline } : {}), timeoutSeconds: secondsUntil(deadline, deps.clock()) };
};
