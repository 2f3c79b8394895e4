/**
 * Booking a session (reading it is ./session-page.ts, the tutor's decision ./decisions.ts: apart,
 * so that neither bundles Paystack). It reads at most once and writes in one transaction; the
 * domain decides, the data layer enforces the conditions. What follows the write happens off the
 * request, driven by the table stream: a new booking's workflow is started
 * (functions/streams/startWorkflow.ts), a stored notification is pushed
 * (functions/streams/pushNotifications.ts).
 */
import { ulid } from 'ulid';
import { bookingTerms } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ValidationError } from '../domain/errors';
import type { Session } from '../domain/session';
import { insertSession } from '../data/sessions';
import { presentSession } from './session-access';
import { getTutorProfileVersioned } from '../data/tutors';
import { sessionTermsPut } from '../data/session-terms';
import type { Caller } from '../domain/caller';
import { paystack, type PaystackClient } from '../integrations/paystack';
import { paymentPut } from '../data/payments';
import { openTransaction, paymentLink } from './checkout';
import type { CreateSessionBody } from '../schemas/session';
import { count } from '../observability/metrics';

export interface Deps {
  clock: Clock;
  paystack: PaystackClient;
}

export const defaultDeps: Deps = { clock: systemClock, paystack };

export const createSession = async (caller: Caller, body: CreateSessionBody, deps: Deps = defaultDeps) => {
  const read = await getTutorProfileVersioned(body.tutorId);
  if (!read) throw new ValidationError('Invalid booking', [{ path: 'tutorId', message: 'No such tutor' }]);
  const tutor = read.profile;
  const now = deps.clock();
  const terms = bookingTerms(caller.userId, tutor, body, now);
  const at = now.toISOString();
  const session: Session = {
    id: ulid(now.getTime()),
    studentId: caller.userId,
    tutorId: tutor.id,
    student: { id: caller.userId, displayName: caller.name ?? caller.userId },
    tutor: { id: tutor.id, displayName: tutor.displayName },
    title: body.title,
    notes: body.notes ?? null,
    scheduledAt: body.scheduledAt.toISOString(),
    durationMinutes: body.durationMinutes,
    bufferMinutes: terms.bufferMinutes,
    price: terms.price,
    bookingMode: body.bookingMode,
    status: body.bookingMode === 'REQUEST' ? 'PENDING_MENTOR_REVIEW' : 'SCHEDULED',
    paymentStatus: 'PENDING',
    meetingUrl: null,
    approvalNotes: null,
    rejectedAt: null,
    approvalDeadline: terms.approvalDeadline?.toISOString() ?? null,
    createdAt: at,
    updatedAt: at,
  };
  if (session.bookingMode === 'REQUEST') {
    // Its workflow is started from the table stream (named after the session, so once). The
    // tutor's terms are kept beside it: a move checks them instead of reading the profile.
    const stored = await insertSession(session, terms.holdBlocks, [sessionTermsPut(session.id, tutor, read.version, at)]);
    count('BookingsCreated', 1, { mode: stored.bookingMode });
    return { session: presentSession(stored) };
  }
  // INSTANT: the checkout first (nothing is held if Paystack is down), then the booking, its
  // payment record and its terms in one transaction (a lost slot leaves only an unused checkout).
  const payment = await openTransaction(session, caller, deps);
  const stored = await insertSession({ ...session, paymentReference: payment.reference }, terms.holdBlocks, [
    paymentPut(payment),
    sessionTermsPut(session.id, tutor, read.version, at),
  ]);
  count('BookingsCreated', 1, { mode: stored.bookingMode });
  return { session: presentSession(stored), payment: paymentLink(payment) };
};
