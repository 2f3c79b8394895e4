/**
 * Settling a charge with Paystack exactly once (opening a checkout and paying: ./checkout.ts;
 * the webhook that triggers this: ./paystack-webhook.ts; so does the workflow, before it
 * releases an unpaid booking). Nothing is credited before Paystack's own verify says the charge
 * succeeded for exactly our amount and currency; money for a session closed meanwhile is owed back.
 */
import { systemClock, type Clock } from '../domain/clock';
import { checkCharge, type Payment } from '../domain/payment';
import { getPayment, PaymentAlreadySettledError, setPaymentStatus, takeOrphanedPayment } from '../data/payments';
import { creditPayment } from '../data/wallet';
import { getSession } from '../data/sessions';
import { paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { bookingWorkflow, type BookingWorkflow } from '../integrations/workflow';
import type { WebhookOutcome } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { orphanRefundPut } from './owed-refunds';
import { retryOnStale } from './stale-retry';

/** Paystack's verify, and the workflow's payment wait to resume. */
export interface ChargeDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'verify'>;
  workflow: Pick<BookingWorkflow, 'paid'>;
}

export const defaultChargeDeps: ChargeDeps = { clock: systemClock, paystack: paystackClient, workflow: bookingWorkflow };

/**
 * charge.success: verify with Paystack, check amount and currency, then credit once and
 * resume the workflow. A duplicate (redelivered or concurrent) changes nothing.
 */
export const settleCharge = async (reference: string, deps: ChargeDeps = defaultChargeDeps): Promise<WebhookOutcome> => {
  const payment = await getPayment(reference);
  if (!payment) {
    logger.warn('charge.success for a reference we did not issue', { reference });
    return 'unknown-reference';
  }
  if (payment.status !== 'PENDING') return 'duplicate';
  const verified = await deps.paystack.verify(reference);
  const check = checkCharge(payment, verified);
  if (!check.ok) {
    if (!check.settled) return 'not-paid';
    const to = verified.status === 'success' ? 'MISMATCH' : 'FAILED';
    const moved = await setPaymentStatus(reference, ['PENDING'], to, { problem: check.problem, updatedAt: deps.clock().toISOString() });
    const fields = { reference, sessionId: payment.sessionId, problem: check.problem, moved };
    if (to === 'FAILED') logger.warn('Payment failed', fields);
    else {
      // A mismatch is money we did not ask for: flagged for an operator, never credited.
      logger.error('Payment amount mismatch', fields);
      // Counted once: by the delivery that recorded it (a concurrent one finds it recorded).
      if (moved) count('PaymentAmountMismatches');
    }
    return 'rejected';
  }

  const at = deps.clock().toISOString();
  let token: string | undefined;
  try {
    const outcome = await retryOnStale(async (): Promise<WebhookOutcome> => {
      const s = (await getSession(payment.sessionId))!;
      if (s.status !== 'SCHEDULED' || s.paymentStatus !== 'PENDING' || s.paymentReference !== reference) return 'orphaned';
      const { paymentTaskToken, ...rest } = s;
      await creditPayment(s, { ...rest, paymentStatus: 'PAID', updatedAt: at }, payment, at);
      token = paymentTaskToken;
      return 'credited';
    });
    if (outcome === 'orphaned') return await refundOrphan(payment, deps);
    count('PaymentsConfirmed');
  } catch (e) {
    if (e instanceof PaymentAlreadySettledError) return 'duplicate';
    throw e;
  }
  if (token) await deps.workflow.paid(token, payment.sessionId);
  return 'credited';
};

/**
 * Money arrived for a session that was closed meanwhile (e.g. the payment window ran out): it
 * goes back. Recorded as owed in the transaction that takes the payment, never credited; the
 * requestRefunds consumer asks Paystack for it.
 */
const refundOrphan = async (payment: Payment, deps: Pick<ChargeDeps, 'clock'>): Promise<WebhookOutcome> => {
  const at = deps.clock().toISOString();
  if (!(await takeOrphanedPayment(payment.reference, at, [orphanRefundPut(payment, at)]))) return 'duplicate';
  logger.warn('Payment for a closed session; refunding it', { reference: payment.reference, sessionId: payment.sessionId });
  return 'orphaned';
};
