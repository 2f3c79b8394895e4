/**
 * A review's one transaction: the review, the session's `reviewedAt` marker (so a second review
 * is refused by the database) and the tutor's rating sum and count. It replaces the session item,
 * so it lives apart from ./reviews.ts, which the tutor pages read.
 */
import { InvalidStateError, NotFoundError } from '../domain/errors';
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { optionalNullable } from './entity';
import { getItem, put, update } from './ops';
import { ReviewEntity, type Review } from './reviews';
import { sessionReplacement, StaleSessionError, type StoredSession } from './sessions';
import { TutorProfileEntity } from './tutors';
import { transactWrite, type TransactItem } from './transact';

/** The tutor's rating changed between the read of a profile stored with an average and the write of its sum: read again. */
export class RatingChangedError extends StaleSessionError {}

/** The review's transaction found the tutor's profile without a rating sum (stored before it), or no profile. */
class NoRatingSumError extends Error {}

/**
 * Writes the review, marks the session reviewed and adds the rating to the tutor's sum and
 * count, in one transaction and without reading the profile. Only a profile stored before the
 * sum (a count and a rounded average) makes that condition fail: it is read once and its sum
 * written from its average (the rounding is carried once, at this change), conditional on the
 * count it was read with.
 */
export const putReview = async (before: StoredSession, review: Review) => {
  const next: Session = { ...before, reviewedAt: review.createdAt, updatedAt: review.createdAt };
  const replaced = sessionReplacement(before, next).put;
  // The session must not have been reviewed: the replacement's version check covers it,
  // and this condition says so explicitly.
  replaced.Put.ConditionExpression += ' AND attribute_not_exists(reviewedAt)';
  const write = (rating: TransactItem) =>
    transactWrite([replaced, put({ Item: ReviewEntity.item(review) }), rating], (failed) =>
      failed.includes(0) ? new StaleSessionError() : failed.includes(2) ? new NoRatingSumError() : new InvalidStateError('Review exists'),
    );
  try {
    await write(
      update({
        Key: TutorProfileEntity.key(review.tutorId),
        UpdateExpression: 'ADD ratingCount :one, ratingSum :rating',
        ConditionExpression: 'attribute_exists(pk) AND (attribute_exists(ratingSum) OR ratingCount = :zero)',
        ExpressionAttributeValues: { ':one': 1, ':rating': review.rating, ':zero': 0 },
      }),
    );
  } catch (e) {
    if (!(e instanceof NoRatingSumError)) throw e;
    const profile = await getItem(TutorProfileEntity.key(review.tutorId));
    if (!profile) throw new NotFoundError('No such tutor');
    const stored = storedRating.parse(profile);
    // Another review wrote the sum meanwhile: the next round adds to it.
    if (stored.ratingSum !== undefined) throw new RatingChangedError();
    const sum = Math.round((stored.ratingAverage ?? 0) * stored.ratingCount) + review.rating;
    await write(
      update({
        Key: TutorProfileEntity.key(review.tutorId),
        UpdateExpression: 'SET ratingCount = :count, ratingSum = :sum REMOVE ratingAverage',
        ConditionExpression: 'ratingCount = :old AND attribute_not_exists(ratingSum)',
        ExpressionAttributeValues: { ':count': stored.ratingCount + 1, ':sum': sum, ':old': stored.ratingCount },
      }),
    ).catch((err: unknown) => {
      throw err instanceof NoRatingSumError ? new RatingChangedError() : err;
    });
  }
};

/** The rating fields of a profile item as stored (the sum, or before it the rounded average). */
const storedRating = z.object({ ratingCount: z.number(), ratingSum: z.optional(z.number()), ratingAverage: optionalNullable(z.number()) });
