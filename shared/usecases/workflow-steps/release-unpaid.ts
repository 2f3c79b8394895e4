/**
 * CancelUnpaid (the payment window ran out) and ReleaseOnError (a step failed before payment):
 * an active, unpaid booking is cancelled and its slot freed, unless Paystack says it was paid
 * after all. Never released blind: a Paystack that cannot be asked fails the step.
 */
import { sessionHoldBlocks } from '../../domain/booking';
import { isActive, transition, type Session } from '../../domain/session';
import { transitionSession } from '../../data/sessions';
import { isPaystackError } from '../../integrations/paystack';
import { PAYMENT_UNVERIFIED } from '../../workflow/definition';
import { logger } from '../../observability/logger';
import { defaultChargeDeps, settleCharge, type ChargeDeps } from '../payments';
import { notify as notifyInbox } from '../notify';
import { retryOnStale } from '../stale-retry';
import { loadSession, stateOf } from './step-session';

/**
 * The notifier, and what settling a charge found paid needs: it is settled as the webhook
 * settles it (shared/usecases/payments.ts), Paystack asked and the workflow resumed.
 */
export interface ReleaseUnpaidDeps extends ChargeDeps {
  notify: typeof notifyInbox;
}

/**
 * The payment wait a charge found paid here would resume is already over: this step is what
 * follows it, and reports PAID itself. So nothing is sent to Step Functions (the step is not
 * granted callbacks, and the stored token is dead).
 */
const paymentWaitOver: ChargeDeps['workflow'] = { paid: async () => {} };

export const defaultReleaseUnpaidDeps: ReleaseUnpaidDeps = { ...defaultChargeDeps, workflow: paymentWaitOver, notify: notifyInbox };

/**
 * Paystack could not be asked whether a booking was paid: thrown by a step that would release
 * it, so that Step Functions retries the step and, if it stays so, leaves it to an operator
 * (the definition's PaymentUnverified). Never a reason to release the booking blind.
 */
export class PaymentUnverifiedError extends Error {
  override readonly name = PAYMENT_UNVERIFIED;
}

/**
 * Our record says unpaid, but the student may have paid and the charge.success webhook not
 * got through (Paystack unreachable when the webhook verified it, or a delivery still
 * pending): the session's open transaction is verified with Paystack and, if paid, settled
 * exactly as the webhook settles it (the same conditional writes, so a webhook arriving too
 * changes nothing more). Paystack not knowing the reference means nothing was paid with it.
 */
const settleOpenPayment = async (s: Session, deps: ReleaseUnpaidDeps): Promise<void> => {
  if (!isActive(s.status) || s.paymentStatus !== 'PENDING' || !s.paymentReference) return;
  try {
    const outcome = await settleCharge(s.paymentReference, deps);
    if (outcome === 'credited') logger.warn('Payment found paid at Paystack before releasing the booking; confirmed', { sessionId: s.id, reference: s.paymentReference });
  } catch (e) {
    if (!isPaystackError(e)) throw e;
    if (e.code === 'NOT_FOUND') return;
    logger.error('Paystack could not be asked whether the booking was paid; it is not released', {
      sessionId: s.id,
      reference: s.paymentReference,
      code: e.code,
      status: e.status,
    });
    throw new PaymentUnverifiedError(`Paystack could not verify ${s.paymentReference}: ${e.code}`, { cause: e });
  }
};

/**
 * Cancels an active, unpaid booking and frees its slot; a paid one is left alone, and one
 * that Paystack says is paid is confirmed instead (its step reports PAID).
 */
const cancelIfUnpaid = async (sessionId: string, reason: string, deps: ReleaseUnpaidDeps) => {
  await settleOpenPayment(await loadSession(sessionId), deps);
  let cancelled = false;
  const s = await retryOnStale(async () => {
    const current = await loadSession(sessionId);
    if (!isActive(current.status) || current.paymentStatus === 'PAID') return current;
    const at = deps.clock().toISOString();
    const { approvalTaskToken: _a, paymentTaskToken: _p, ...rest } = current;
    const next: Session = { ...rest, status: transition(current.status, 'CANCEL', 'SYSTEM'), cancellationReason: reason, cancelledAt: at, updatedAt: at };
    const stored = await transitionSession(current, next, { releaseBlocks: sessionHoldBlocks(current) });
    cancelled = true;
    return stored;
  });
  if (cancelled || (s.status === 'CANCELLED' && s.cancellationReason === reason)) {
    await deps.notify({ event: 'SESSION_CANCELLED', session: s, to: ['student', 'tutor'], extra: { reason } });
  }
  return stateOf(s);
};

export const PAYMENT_WINDOW_REASON = 'Not paid within the payment window';
export const SYSTEM_ERROR_REASON = 'We could not complete this booking because of a system error; nothing was charged';

export const cancelUnpaid = (sessionId: string, deps: ReleaseUnpaidDeps = defaultReleaseUnpaidDeps) => cancelIfUnpaid(sessionId, PAYMENT_WINDOW_REASON, deps);

export const releaseOnError = (sessionId: string, deps: ReleaseUnpaidDeps = defaultReleaseUnpaidDeps) => cancelIfUnpaid(sessionId, SYSTEM_ERROR_REASON, deps);
