/**
 * Reviews: one per completed session, written with the session's `reviewedAt` marker (so a
 * second review is refused by the database) and the tutor's rating sum and count, in one
 * transaction.
 */
import { InvalidStateError, NotFoundError } from '../domain/errors';
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { entity, nullableString, optionalNullable, sameShape } from './entity';
import { REVIEW_PREFIX, reviewKey, tutorPartition } from './keys';
import { getItem, put, query, update } from './ops';
import { sessionReplacement, StaleSessionError, type StoredSession } from './sessions';
import { TutorProfileEntity } from './tutors';
import { transactWrite, type TransactItem } from './transact';

export interface Review {
  sessionId: string;
  tutorId: string;
  studentId: string;
  studentName: string;
  rating: number;
  comment: string | null;
  createdAt: string;
}

const storedReview = z.object({
  sessionId: z.string(),
  tutorId: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  rating: z.number(),
  comment: nullableString,
  createdAt: z.string(),
});
sameShape<z.output<typeof storedReview>, Review>(true);

/** A review, under its tutor, newest first: the tutor's page reads the profile and the latest reviews in one Query. */
export const ReviewEntity = entity({
  type: 'Review',
  about: 'Review (newest first)',
  key: reviewKey,
  schema: storedReview,
  keys: (r) => reviewKey(r.tutorId, Date.parse(r.createdAt), r.sessionId),
  sample: () => ({ pk: tutorPartition('<id>'), sk: `${REVIEW_PREFIX}<9999999999999 − createdAt ms>#<sessionId>` }),
  accessPatterns: () => [
    {
      pattern: 'one review per session',
      key: "the session's `reviewedAt` set with `attribute_not_exists(reviewedAt)` in the review's transaction, with the profile's `ADD ratingCount 1, ratingSum :rating` (`attribute_exists(ratingSum) OR ratingCount = 0`; a profile stored with an average and no sum: read once, its sum written on `ratingCount = :old`)",
      operation: 'TransactWriteItems',
    },
  ],
});

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

/** The tutor's profile and newest reviews, in one Query. */
export const profileWithReviews = async (tutorId: string, reviews: number) => {
  const { pk, sk } = TutorProfileEntity.key(tutorId);
  const out = await query({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': sk, ':to': `${REVIEW_PREFIX}~` },
    Limit: reviews + 1,
  });
  const items = out.Items ?? [];
  const profile = items.find((i) => i.sk === sk);
  return {
    profile: profile ? TutorProfileEntity.parse(profile) : undefined,
    reviews: items.filter((i) => i.type === ReviewEntity.type).map(ReviewEntity.parse),
  };
};
