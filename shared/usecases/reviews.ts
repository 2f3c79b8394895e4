/** Reviews: the session's student, after it is COMPLETED, once; the tutor's rating follows. */
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError, InvalidStateError, NotFoundError } from '../domain/errors';
import { getTutorProfile } from '../data/tutors';
import { putReview, RatingChangedError } from '../data/reviews';
import type { Caller } from '../domain/caller';
import { retryOnStale, visibleSession } from './session-access';

/**
 * The tutor's rating is a conditional read-modify-write: a lost round means another review of
 * the tutor won, so N reviews arriving at once need up to N attempts (5 ran out under load).
 */
const RATING_ATTEMPTS = 25;

export const reviewSession = async (caller: Caller, sessionId: string, input: { rating: number; comment?: string | null | undefined }, clock: Clock = systemClock) =>
  retryOnStale(async () => {
    const s = await visibleSession(caller, sessionId);
    if (s.studentId !== caller.userId) throw new ForbiddenError("Only the session's student can review it");
    if (s.status !== 'COMPLETED') throw new InvalidStateError('Only a completed session can be reviewed');
    if (s.reviewedAt) throw new InvalidStateError('This session has been reviewed already');
    const profile = await getTutorProfile(s.tutorId);
    if (!profile) throw new NotFoundError('No such tutor');
    const review = {
      sessionId: s.id,
      tutorId: s.tutorId,
      studentId: s.studentId,
      studentName: s.student.displayName,
      rating: input.rating,
      comment: input.comment ?? null,
      createdAt: clock().toISOString(),
    };
    const rating = await putReview(s, review, profile);
    return { review, tutor: { id: s.tutorId, ...rating } };
  }, RATING_ATTEMPTS);

export { RatingChangedError };
