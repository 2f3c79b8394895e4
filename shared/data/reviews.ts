/**
 * Reviews: one per completed session, under its tutor, read with the tutor's profile. The
 * review's write, with the session's `reviewedAt` and the tutor's rating in one transaction, is
 * ./review-submission.ts: the tutor pages read reviews without loading the session entity.
 */
import * as z from '../schemas/zod';
import { entity, nullableString, sameShape } from './entity';
import { REVIEW_PREFIX, reviewKey, tutorPartition } from './keys';
import { query } from './ops';
import { TutorProfileEntity } from './tutors';

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
