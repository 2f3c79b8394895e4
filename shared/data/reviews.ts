/**
 * Reviews: one per completed session, written with the session's `reviewedAt` marker (so a
 * second review is refused by the database) and the tutor's rating count and average, in
 * one transaction.
 */
import { InvalidStateError } from '../domain/errors';
import type { Session } from '../domain/session';
import type { TutorProfile } from '../schemas/tutor';
import * as z from '../schemas/zod';
import { entity, nullableString, sameShape } from './entity';
import { REVIEW_PREFIX, reviewKey, tutorPartition } from './keys';
import { put, query, update } from './ops';
import { sessionReplacement, StaleSessionError, type StoredSession } from './sessions';
import { TutorProfileEntity } from './tutors';
import { transactWrite } from './transact';

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
      key: "the session's `reviewedAt` set with `attribute_not_exists(reviewedAt)` in the review's transaction, with the profile's rating (`ratingCount = :old`)",
      operation: 'TransactWriteItems',
    },
  ],
});

export class RatingChangedError extends StaleSessionError {}

export const putReview = async (before: StoredSession, review: Review, profile: Pick<TutorProfile, 'ratingCount' | 'ratingAverage'>) => {
  const count = profile.ratingCount + 1;
  const average = Math.round((((profile.ratingAverage ?? 0) * profile.ratingCount + review.rating) / count) * 100) / 100;
  const next: Session = { ...before, reviewedAt: review.createdAt, updatedAt: review.createdAt };
  const replaced = sessionReplacement(before, next).put;
  // The session must not have been reviewed: the replacement's version check covers it,
  // and this condition says so explicitly.
  replaced.Put.ConditionExpression += ' AND attribute_not_exists(reviewedAt)';
  await transactWrite(
    [
      replaced,
      put({ Item: ReviewEntity.item(review) }),
      update({
        Key: TutorProfileEntity.key(review.tutorId),
        UpdateExpression: 'SET ratingCount = :count, ratingAverage = :average',
        ConditionExpression: 'attribute_exists(pk) AND ratingCount = :old',
        ExpressionAttributeValues: { ':count': count, ':average': average, ':old': profile.ratingCount },
      }),
    ],
    (failed) => (failed.includes(2) ? new RatingChangedError() : failed.includes(0) ? new StaleSessionError() : new InvalidStateError('Review exists')),
  );
  return { ratingCount: count, ratingAverage: average };
};

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
