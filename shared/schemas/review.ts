/** A session's review, as the review route answers it and the tutor's page lists it: apart, so that session routes bundle no tutor schemas. */
import { integer, timestamp } from './common';
import * as z from './zod';

/** A review as stored and shown on the tutor's page. */
export const reviewResponse = z.strictObject({
  sessionId: z.string(),
  tutorId: z.string(),
  studentId: z.string(),
  studentName: z.string(),
  rating: integer(z.minimum(1), z.maximum(5)),
  comment: z.nullable(z.string()),
  createdAt: timestamp,
});
