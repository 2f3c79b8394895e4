/**
 * Payments with Paystack: opening a transaction, settling a verified charge exactly once,
 * refunding. The webhook is only a trigger: nothing is credited before Paystack's own verify
 * says the charge succeeded for exactly our amount and currency.
 */
import { ulid } from 'ulid';
import { frontendUrl } from '../config';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError, UpstreamError, ValidationError } from '../domain/errors';
import { checkCharge, type Payment } from '../domain/payment';
import type { Session } from '../domain/session';
import { attachPayment, creditPayment, getPayment, PaymentAlreadySettledError, reverseCredit, setPaymentStatus } from '../data/payments';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { getUser } from '../data/users';
import type { Caller } from '../http/auth';
import { notify as notifyInbox } from '../integrations/notifier';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { bookingWorkflow, type BookingWorkflow } from '../integrations/workflow';
import type { PaystackWebhookEvent } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';
import { retryOnStale, visibleSession } from './session-access';

export interface PaymentDeps {
  clock: Clock;
  paystack: PaystackClient;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
}

export const defaultPaymentDeps: PaymentDeps = { clock: systemClock, paystack: paystackClient, workflow: bookingWorkflow, notify: notifyInbox };

/** Paystack references allow letters, digits, '-', '.', '='; ULIDs sort by time. */
export const newReference = (now: Date): string => `mtr-${ulid(now.getTime())}`;

/** The student's email for Paystack: from the token, else from the user record. */
const studentEmail = async (caller: Caller): Promise<string> => {
  if (caller.email) return caller.email;
  const user = await getUser(caller.userId);
  if (user?.email) return user.email;
  throw new ValidationError('Your account has no email address, which payment needs', [{ path: 'email', message: 'Missing' }]);
};

/** Asks Paystack for a checkout for the session. Returns the record to store; stores nothing. */
export const openTransaction = async (session: Session, caller: Caller, deps: Pick<PaymentDeps, 'clock' | 'paystack'>): Promise<Payment> => {
  const now = deps.clock();
  const reference = newReference(now);
  try {
    const data = await deps.paystack.initialize({
      email: await studentEmail(caller),
      amount: session.price.amount,
      currency: session.price.currency,
      reference,
      callback_url: `${frontendUrl()}/mentorship/session/${session.id}`,
      metadata: { sessionId: session.id },
    });
    const at = now.toISOString();
    return {
      reference,
      sessionId: session.id,
      studentId: session.studentId,
      tutorId: session.tutorId,
      amount: session.price,
      status: 'PENDING',
      authorizationUrl: data.authorization_url,
      accessCode: data.access_code,
      createdAt: at,
      updatedAt: at,
    };
  } catch (e) {
    if (isPaystackError(e)) {
      logger.error('Paystack initialize failed', { sessionId: session.id, code: e.code, status: e.status });
      throw new UpstreamError('PAYMENT_PROVIDER_UNAVAILABLE', 'The payment provider is not answering; please try again shortly');
    }
    throw e;
  }
};

export const paymentLink = (p: Pick<Payment, 'reference' | 'authorizationUrl'>) => ({ reference: p.reference, authorizationUrl: p.authorizationUrl });

/**
 * "Proceed to Payment" for an approved request: only the session's student, only while it is
 * SCHEDULED and unpaid; calling again returns the same open transaction.
 */
export const proceedToPayment = async (caller: Caller, sessionId: string, deps: PaymentDeps = defaultPaymentDeps) =>
  retryOnStale(async () => {
    const s = await visibleSession(caller, sessionId);
    if (s.studentId !== caller.userId) throw new ForbiddenError("Only the session's student pays for it");
    if (s.status !== 'SCHEDULED' || s.paymentStatus !== 'PENDING') {
      throw new InvalidStateError(`A ${s.status} session with payment ${s.paymentStatus} cannot be paid`);
    }
    if (s.paymentReference) {
      const open = await getPayment(s.paymentReference);
      if (open?.status === 'PENDING') return paymentLink(open);
    }
    const payment = await openTransaction(s, caller, deps);
    await attachPayment(s, { ...s, paymentReference: payment.reference, updatedAt: payment.createdAt }, payment);
    return paymentLink(payment);
  });

export type WebhookOutcome = 'credited' | 'duplicate' | 'unknown-reference' | 'not-paid' | 'rejected' | 'orphaned' | 'refunded' | 'refund-failed' | 'ignored';

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

/** Money arrived for a session that was closed meanwhile (e.g. the payment window ran out): it goes back. */
const refundOrphan = async (payment: Payment, deps: PaymentDeps): Promise<WebhookOutcome> => {
  const at = deps.clock().toISOString();
  if (!(await setPaymentStatus(payment.reference, ['PENDING'], 'PAID', { orphaned: true, paidAt: at, updatedAt: at }))) return 'duplicate';
  logger.warn('Payment for a closed session; refunding it', { reference: payment.reference, sessionId: payment.sessionId });
  await requestRefund({ ...payment, status: 'PAID', orphaned: true }, deps);
  return 'orphaned';
};

/** Asks Paystack to refund a paid payment in full; the outcome arrives as a refund.* webhook. */
export const requestRefund = async (payment: Payment, deps: Pick<PaymentDeps, 'paystack' | 'clock'> = defaultPaymentDeps): Promise<void> => {
  if (payment.status !== 'PAID') throw new InvalidStateError(`Payment ${payment.reference} is ${payment.status}, not PAID`);
  try {
    await deps.paystack.refund({ transaction: payment.reference });
  } catch (e) {
    // A retried request after an earlier success: Paystack says it is refunded already.
    if (!(isPaystackError(e) && e.alreadyDone)) throw e;
  }
  const at = deps.clock().toISOString();
  await setPaymentStatus(payment.reference, ['PAID'], 'REFUND_PENDING', { refundRequestedAt: at, updatedAt: at });
};

/** refund.processed: the payment and session REFUNDED and the tutor's credit reversed, once. */
export const settleRefund = async (reference: string, deps: PaymentDeps = defaultPaymentDeps): Promise<WebhookOutcome> => {
  const payment = await getPayment(reference);
  if (!payment) return 'unknown-reference';
  if (payment.status === 'REFUNDED') {
    // A redelivery: the first delivery may have settled it and stopped before telling the student.
    await tellRefunded(payment, undefined, deps);
    return 'duplicate';
  }
  if (payment.status !== 'REFUND_PENDING' && payment.status !== 'PAID') return 'ignored';
  const at = deps.clock().toISOString();
  if (payment.orphaned) {
    // Never credited, so nothing to reverse.
    const moved = await setPaymentStatus(reference, ['REFUND_PENDING', 'PAID'], 'REFUNDED', { refundedAt: at, updatedAt: at });
    await tellRefunded(payment, await markOrphanRefunded(payment.sessionId, at), deps);
    return moved ? 'refunded' : 'duplicate';
  }
  let refunded: StoredSession;
  try {
    refunded = await retryOnStale(async () => {
      const s = (await getSession(payment.sessionId))!;
      return reverseCredit(s, { ...s, paymentStatus: 'REFUNDED', updatedAt: at }, payment, at);
    });
  } catch (e) {
    if (e instanceof PaymentAlreadySettledError) {
      await tellRefunded(payment, undefined, deps);
      return 'duplicate';
    }
    throw e;
  }
  await tellRefunded(payment, refunded, deps);
  return 'refunded';
};

/**
 * The session a refunded late payment was for shows REFUNDED rather than a PENDING payment
 * that will never come; only while nothing else was paid for it (it is closed, so nothing can be).
 */
const markOrphanRefunded = (sessionId: string, at: string): Promise<StoredSession | undefined> =>
  retryOnStale(async () => {
    const s = await getSession(sessionId);
    if (s?.paymentStatus !== 'PENDING') return s;
    return transitionSession(s, { ...s, paymentStatus: 'REFUNDED', updatedAt: at });
  });

/** REFUND_ISSUED, once per payment (the notifier's dedupe): on the settling delivery and on any redelivery. */
const tellRefunded = async (payment: Payment, session: Session | undefined, deps: Pick<PaymentDeps, 'notify'>): Promise<void> => {
  const s = session ?? (await getSession(payment.sessionId));
  if (!s) return;
  await deps.notify({ event: 'REFUND_ISSUED', session: s, to: ['student'], extra: { refund: payment.amount }, occurrence: payment.reference });
};

export const handlePaystackEvent = async (event: PaystackWebhookEvent, deps: PaymentDeps = defaultPaymentDeps): Promise<WebhookOutcome> => {
  switch (event.event) {
    case 'charge.success':
      return settleCharge(event.data.reference, deps);
    case 'refund.processed':
      return settleRefund(event.data.transaction_reference, deps);
    case 'refund.failed':
      logger.error('Refund failed at Paystack', { reference: event.data.transaction_reference });
      count('RefundFailures');
      return 'refund-failed';
    default:
      return 'ignored';
  }
};
