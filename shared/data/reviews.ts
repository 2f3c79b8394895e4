/**
 * Reviews: one per completed session, written with the session's `reviewedAt` marker (so a
 * second review is refused by the database) and the tutor's rating count and average, in
 * one transaction.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { InvalidStateError } from '../domain/errors';
import type { Session } from '../domain/session';
import type { TutorProfile } from '../schemas/tutor';
import { ddb } from './client';
import { REVIEW_PREFIX, reviewKey, tutorProfileKey } from './keys';
import { sessionReplacement, StaleSessionError, type StoredSession } from './sessions';
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

export class RatingChangedError extends StaleSessionError {}

export const putReview = async (before: StoredSession, review: Review, profile: Pick<TutorProfile, 'ratingCount' | 'ratingAverage'>) => {
  const count = profile.ratingCount + 1;
  const average = Math.round((((profile.ratingAverage ?? 0) * profile.ratingCount + review.rating) / count) * 100) / 100;
  const next: Session = { ...before, reviewedAt: review.createdAt, updatedAt: review.createdAt };
  const { put } = sessionReplacement(before, next);
  // The session must not have been reviewed: the replacement's version check covers it,
  // and this condition says so explicitly.
  put.Put.ConditionExpression += ' AND attribute_not_exists(reviewedAt)';
  await transactWrite(
    [
      put,
      { Put: { TableName: config().tableName, Item: { ...reviewKey(review.tutorId, Date.parse(review.createdAt), review.sessionId), type: 'Review', ...review } } },
      {
        Update: {
          TableName: config().tableName,
          Key: tutorProfileKey(review.tutorId),
          UpdateExpression: 'SET ratingCount = :count, ratingAverage = :average',
          ConditionExpression: 'attribute_exists(pk) AND ratingCount = :old',
          ExpressionAttributeValues: { ':count': count, ':average': average, ':old': profile.ratingCount },
        },
      },
    ],
    (failed) => (failed.includes(2) ? new RatingChangedError() : failed.includes(0) ? new StaleSessionError() : new InvalidStateError('Review exists')),
  );
  return { ratingCount: count, ratingAverage: average };
};

/** The tutor's profile and newest reviews, in one Query. */
export const profileWithReviews = async (tutorId: string, reviews: number) => {
  const { pk } = tutorProfileKey(tutorId);
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': pk, ':from': tutorProfileKey(tutorId).sk, ':to': `${REVIEW_PREFIX}~` },
      Limit: reviews + 1,
    }),
  );
  const items = out.Items ?? [];
  const strip = ({ pk: _p, sk: _s, type: _t, gsi3pk: _g, gsi3sk: _h, ...rest }: Record<string, unknown>) => rest;
  const profile = items.find((i) => i.sk === tutorProfileKey(tutorId).sk);
  return {
    profile: profile ? (strip(profile) as unknown as TutorProfile) : undefined,
    reviews: items.filter((i) => i.type === 'Review').map((i) => strip(i) as unknown as Review),
  };
};
