/**
 * Opening a Paystack checkout for a session: the transaction Paystack initializes and the payment
 * record to store with it, and "Proceed to Payment". Apart from settling (./payments.ts, and the
 * webhook's ./paystack-webhook.ts), so that booking and paying bundle no settlement, wallet or payouts.
 */
import { ulid } from 'ulid';
import { frontendUrl } from '../config';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError, UpstreamError, ValidationError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import type { Session } from '../domain/session';
import { attachPayment, getPayment } from '../data/payments';
import { getUser } from '../data/users';
import type { Caller } from '../domain/caller';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { logger } from '../observability/logger';
import { visibleSession } from './session-access';
import { retryOnStale } from './stale-retry';

export interface CheckoutDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'initialize'>;
}

export const defaultCheckoutDeps: CheckoutDeps = { clock: systemClock, paystack: paystackClient };

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
export const openTransaction = async (session: Session, caller: Caller, deps: CheckoutDeps): Promise<Payment> => {
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
export const startPayment = async (caller: Caller, sessionId: string, deps: CheckoutDeps = defaultCheckoutDeps) =>
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
