/**
 * The reschedule policy, pure. Written down here and enforced by the reschedule use case
 * (shared/usecases/reschedule.ts):
 * - Who: the session's student or its tutor. Not an admin (403: an admin may cancel, not
 *   move someone's session); anyone else gets 404, as for every session route.
 * - What: a PENDING_MENTOR_REVIEW request (before its approval deadline) or a SCHEDULED
 *   booking, paid or not. Anything else is 409 INVALID_STATE.
 * - When: up to 12 hours before the session's current start (409 INVALID_STATE later, the
 *   other party has planned their day around it by then).
 * - To when: a time a new booking could have: on the 15-minute grid, at least the tutor's
 *   minimum notice from now, within the booking horizon (400 otherwise); inside the tutor's
 *   availability and free of the tutor's other bookings and their buffers (409
 *   SLOT_UNAVAILABLE otherwise). The duration and the price stay.
 * - The hold moves atomically, in the move's own transaction: blocks only in the old range
 *   are deleted, blocks only in the new range are put with `attribute_not_exists`, blocks in
 *   both stay. The new range carries the tutor's current buffer.
 * - Deadlines: a request keeps its approval deadline, but never later than the new start; an
 *   unpaid booking keeps its payment deadline, but never later than the new start. (A
 *   reminder already sent is sent again for the new time.)
 * - Moving a session to the time it already has changes nothing (a repeated request is safe).
 */
import { assertAvailable, assertBookableTime, holdBlocks, sessionHoldBlocks } from './booking';
import type { SlotTutor } from './availability';
import { HOUR_MS } from './clock';
import { ForbiddenError, InvalidStateError } from './errors';
import { assertBeforeDeadline, type Session, type SessionStatus } from './session';

/** How long before its current start a session can still be moved. */
export const RESCHEDULE_NOTICE_MS = 12 * HOUR_MS;

export const RESCHEDULABLE_STATUSES: readonly SessionStatus[] = ['PENDING_MENTOR_REVIEW', 'SCHEDULED'];

export type Mover = 'STUDENT' | 'TUTOR';

/** The caller's part in the session; an admin (or anyone else who can see it) may not move it. */
export const moverOf = (userId: string, s: Pick<Session, 'studentId' | 'tutorId'>): Mover => {
  if (s.studentId === userId) return 'STUDENT';
  if (s.tutorId === userId) return 'TUTOR';
  throw new ForbiddenError("Only the session's student or tutor can reschedule it");
};

export const assertReschedulable = (s: Pick<Session, 'status' | 'scheduledAt' | 'approvalDeadline'>, now: Date): void => {
  if (!RESCHEDULABLE_STATUSES.includes(s.status)) throw new InvalidStateError(`A ${s.status} session cannot be rescheduled`);
  if (now.getTime() > Date.parse(s.scheduledAt) - RESCHEDULE_NOTICE_MS) {
    throw new InvalidStateError('A session can be rescheduled only up to 12 hours before it starts');
  }
  if (s.status === 'PENDING_MENTOR_REVIEW') assertBeforeDeadline(s, now);
};

export interface ReschedulePlan {
  /** The session already starts then: nothing to do. */
  unchanged: boolean;
  /** The fields that change. */
  changes: Pick<Session, 'scheduledAt' | 'approvalDeadline' | 'paymentDeadline' | 'bufferMinutes'>;
  /** Blocks to put (only in the new range) and to delete (only in the old one). */
  hold: string[];
  release: string[];
}

const earlier = (deadline: string | null | undefined, start: string): string | null | undefined =>
  deadline ? new Date(Math.min(Date.parse(deadline), Date.parse(start))).toISOString() : deadline;

/** Checks a move of `s` to `newStart` against the policy and says what changes. */
export const reschedulePlan = (s: Session, tutor: SlotTutor, newStart: Date, now: Date): ReschedulePlan => {
  assertReschedulable(s, now);
  const scheduledAt = newStart.toISOString();
  const changes = {
    scheduledAt,
    approvalDeadline: s.status === 'PENDING_MENTOR_REVIEW' ? (earlier(s.approvalDeadline, scheduledAt) ?? null) : s.approvalDeadline,
    paymentDeadline: s.paymentStatus === 'PENDING' ? earlier(s.paymentDeadline, scheduledAt) : s.paymentDeadline,
    bufferMinutes: tutor.bufferMinutes,
  };
  if (scheduledAt === s.scheduledAt) return { unchanged: true, changes, hold: [], release: [] };
  assertBookableTime(tutor, newStart, now);
  assertAvailable(tutor, newStart, s.durationMinutes);
  const before = sessionHoldBlocks(s);
  const after = holdBlocks(newStart, s.durationMinutes + tutor.bufferMinutes);
  return {
    unchanged: false,
    changes,
    hold: after.filter((b) => !before.includes(b)),
    release: before.filter((b) => !after.includes(b)),
  };
};
