/**
 * The reschedule policy, pure, enforced by the reschedule use case (shared/usecases/reschedule.ts):
 * who may move a session, which and until when, to what time, and what the move changes. The
 * duration and the price stay; moving a session to the time it already has changes nothing (a
 * repeated request is safe).
 */
import { assertAvailable, assertBookableTime, holdBlocks, sessionHoldBlocks } from './booking';
import type { SlotTutor } from './availability';
import { HOUR_MS } from './clock';
import { ForbiddenError, InvalidStateError } from './errors';
import { assertBeforeDeadline, type Session, type SessionStatus } from './session';

/** How long before its current start a session can still be moved (409 INVALID_STATE later: the other party has planned their day around it by then). */
export const RESCHEDULE_NOTICE_MS = 12 * HOUR_MS;

/** A request (before its approval deadline) or a booking, paid or not; anything else is 409 INVALID_STATE. */
export const RESCHEDULABLE_STATUSES: readonly SessionStatus[] = ['PENDING_MENTOR_REVIEW', 'SCHEDULED'];

export type Mover = 'STUDENT' | 'TUTOR';

/**
 * The caller's part in the session: its student or its tutor. An admin may not move it (403: an
 * admin may cancel, not move someone's session); anyone else got 404 already, as for every session route.
 */
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
  /**
   * The hold moves in the move's own transaction: blocks only in the new range are put (with
   * `attribute_not_exists`), blocks only in the old one deleted, blocks in both stay. The new
   * range carries the tutor's current buffer.
   */
  hold: string[];
  release: string[];
}

const earlier = (deadline: string | null | undefined, start: string): string | null | undefined =>
  deadline ? new Date(Math.min(Date.parse(deadline), Date.parse(start))).toISOString() : deadline;

/**
 * Checks a move of `s` to `newStart` against the policy and says what changes. The new time is
 * one a new booking could have: on the 15-minute grid, at least the tutor's minimum notice from
 * now, within the booking horizon (400 otherwise), inside the tutor's hours and free of their
 * other bookings and buffers (409 SLOT_UNAVAILABLE otherwise). A request keeps its approval
 * deadline and an unpaid booking its payment deadline, but never later than the new start (a
 * reminder already sent is sent again for the new time).
 */
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
