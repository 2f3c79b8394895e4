/** Reviews: the session's student, after it is COMPLETED, once; the tutor's rating follows. */
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError } from '../domain/errors';
import { putReview, RatingChangedError } from '../data/review-submission';
import type { Caller } from '../domain/caller';
import { visibleSession } from './session-access';
import { retryOnStale } from './stale-retry';

/**
 * One read (the session) and one transaction: the review adds to the tutor's rating sum and
 * count without reading them, so reviews of one tutor arriving at once do not contend. The
 * answer names the tutor but not the new rating (knowing it would take another read).
 */
export const reviewSession = async (caller: Caller, sessionId: string, input: { rating: number; comment?: string | null | undefined }, clock: Clock = systemClock) =>
  retryOnStale(async () => {
    const s = await visibleSession(caller, sessionId);
    if (s.studentId !== caller.userId) throw new ForbiddenError("Only the session's student can review it");
    if (s.status !== 'COMPLETED') throw new InvalidStateError('Only a completed session can be reviewed');
    if (s.reviewedAt) throw new InvalidStateError('This session has been reviewed already');
    const review = {
      sessionId: s.id,
      tutorId: s.tutorId,
      studentId: s.studentId,
      studentName: s.student.displayName,
      rating: input.rating,
      comment: input.comment ?? null,
      createdAt: clock().toISOString(),
    };
    await putReview(s, review);
    return { review, tutor: { id: s.tutorId } };
  });

export { RatingChangedError };
