/**
 * The cancellation policy, pure. Written down here and enforced by the cancel use case:
 * - Anyone may cancel only before the session starts, and only a PENDING_MENTOR_REVIEW or
 *   SCHEDULED session (the lifecycle's CANCEL transition).
 * - An unpaid booking is simply released: nothing to refund.
 * - A paid booking cancelled by the tutor or an admin is refunded in full, always.
 * - A paid booking cancelled by the student is refunded in full up to 24 hours before the
 *   start; later than that, nothing is refunded and the tutor keeps their share.
 */
import { HOUR_MS } from './clock';
import { InvalidStateError } from './errors';
import type { Money } from './money';
import type { Actor, Session } from './session';

export const FREE_CANCELLATION_NOTICE_MS = 24 * HOUR_MS;

export type RefundDecision = { refund: false } | { refund: true; amount: Money };

export const assertCancellable = (s: Pick<Session, 'status' | 'scheduledAt'>, now: Date): void => {
  if (now.getTime() >= Date.parse(s.scheduledAt)) throw new InvalidStateError('A session that has started can no longer be cancelled');
};

export const refundOnCancel = (s: Pick<Session, 'paymentStatus' | 'price' | 'scheduledAt'>, by: Actor, now: Date): RefundDecision => {
  if (s.paymentStatus !== 'PAID') return { refund: false };
  if (by !== 'STUDENT') return { refund: true, amount: s.price };
  const notice = Date.parse(s.scheduledAt) - now.getTime();
  return notice >= FREE_CANCELLATION_NOTICE_MS ? { refund: true, amount: s.price } : { refund: false };
};
