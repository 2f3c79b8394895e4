/**
 * Opening a Paystack checkout for a session: the transaction Paystack initializes and the payment
 * record to store with it. Apart from ./payments.ts (settling, the webhook), so that booking an
 * INSTANT session bundles only this.
 */
import { ulid } from 'ulid';
import { frontendUrl } from '../config';
import type { Clock } from '../domain/clock';
import { UpstreamError, ValidationError } from '../domain/errors';
import type { Payment } from '../domain/payment';
import type { Session } from '../domain/session';
import { getUser } from '../data/users';
import type { Caller } from '../domain/caller';
import { isPaystackError, type PaystackClient } from '../integrations/paystack';
import { logger } from '../observability/logger';

export interface CheckoutDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'initialize'>;
}

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
