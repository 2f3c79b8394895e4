/**
 * Payments with Paystack (opening a checkout and paying: ./checkout.ts): settling a verified charge exactly once,
 * and the webhook's refund events (./refunds.ts). The webhook is only a trigger: nothing is
 * credited before Paystack's own verify says the charge succeeded for exactly our amount and
 * currency, and nothing is refunded before Paystack lists the refund as processed.
 */
import { systemClock } from '../domain/clock';
import { UnauthorizedError } from '../domain/errors';
import { checkCharge, type Payment } from '../domain/payment';
import { creditPayment, getPayment, PaymentAlreadySettledError, setPaymentStatus, takeOrphanedPayment } from '../data/payments';
import { getSession } from '../data/sessions';
import { notify as notifyInbox } from './notify';
import { paystack as paystackClient, paystackSecretKey, verifyWebhookSignature } from '../integrations/paystack';
import { bookingWorkflow } from '../integrations/workflow';
import type { PaystackWebhookEvent, WebhookOutcome } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { deleteSessionMeeting } from './meetings';
import { settleTransfer } from './payouts';
import { orphanRefundPut, settleRefund, type RefundDeps } from './refunds';
import { retryOnStale } from './stale-retry';

/** Paystack, the workflow, the notifier, and what closing a session Paystack refunded in full needs. */
export type PaymentDeps = RefundDeps;

export const defaultPaymentDeps: PaymentDeps = {
  clock: systemClock,
  paystack: paystackClient,
  workflow: bookingWorkflow,
  notify: notifyInbox,
  deleteMeeting: (session) => deleteSessionMeeting(session),
};

export type { WebhookOutcome };

/**
 * POST /webhooks/paystack's signature check, run by the HTTP chain on the exact bytes received
 * before anything is read (httpHandler's `signature`): x-paystack-signature must be the
 * HMAC-SHA512 of the raw body keyed with our secret key (shared/integrations/paystack.ts).
 */
export const verifyPaystackWebhook = async (rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>, secretKey = paystackSecretKey): Promise<void> => {
  if (!verifyWebhookSignature(rawBody, headers['x-paystack-signature'], await secretKey())) throw new UnauthorizedError('Missing or invalid x-paystack-signature');
};

/**
 * charge.success: verify with Paystack, check amount and currency, then credit once and
 * resume the workflow. A duplicate (redelivered or concurrent) changes nothing.
 */
export const settleCharge = async (reference: string, deps: PaymentDeps = defaultPaymentDeps): Promise<WebhookOutcome> => {
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
const refundOrphan = async (payment: Payment, deps: PaymentDeps): Promise<WebhookOutcome> => {
  const at = deps.clock().toISOString();
  if (!(await takeOrphanedPayment(payment.reference, at, [orphanRefundPut(payment, at)]))) return 'duplicate';
  logger.warn('Payment for a closed session; refunding it', { reference: payment.reference, sessionId: payment.sessionId });
  return 'orphaned';
};

export const paystackWebhook = async (event: PaystackWebhookEvent, deps: PaymentDeps = defaultPaymentDeps): Promise<WebhookOutcome> => {
  switch (event.event) {
    case 'charge.success':
      return settleCharge(event.data.reference, deps);
    // Every refund event only makes us look at what Paystack itself says of the transaction.
    case 'refund.pending':
    case 'refund.processing':
    case 'refund.processed':
    case 'refund.failed':
      return settleRefund(event.data.transaction_reference, deps, event.event);
    // A transfer event too: Verify Transfer says what became of our withdrawal.
    case 'transfer.success':
    case 'transfer.failed':
    case 'transfer.reversed':
      return settleTransfer(event.data.reference, deps);
    default:
      return 'ignored';
  }
};
