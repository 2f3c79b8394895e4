/**
 * The identity routes: GET /me, applying to tutor and the admins' decisions. Requests are
 * strict (unknown fields are a 400); the `…Response` schemas describe what the routes answer.
 */
import { TUTOR_APPLICATION_STATUSES } from '../domain/tutor-application';
import { ROLES } from '../domain/caller';
import { integer, pageOf, pageQuery, timestamp, userId } from './common';
import { tutorProfileInput, tutorProfileResponse } from './tutor';
import * as z from './zod';

/** POST /me/tutor-application: the profile the applicant would publish, validated as PUT /tutors/me validates it. */
export const tutorApplicationBody = tutorProfileInput;

export const tutorApplicationPath = z.strictObject({ userId });

/** GET /admin/tutor-applications: one status at a time (default PENDING), oldest first. */
export const adminTutorApplicationsQuery = z.strictObject({ status: z._default(z.enum(TUTOR_APPLICATION_STATUSES), 'PENDING'), ...pageQuery });

/** POST /admin/tutor-applications/{userId}/decline: the reason is required, and the applicant is told it. */
export { reasonBody as declineTutorApplicationBody } from './decision';

// ---------------------------------------------------------------- responses

export const tutorApplicationResponse = z.strictObject({
  userId: z.string(),
  status: z.enum(TUTOR_APPLICATION_STATUSES),
  applicant: z.strictObject({ displayName: z.string(), email: z.string() }),
  profile: tutorProfileInput,
  submittedAt: timestamp,
  updatedAt: timestamp,
  decidedBy: z.nullable(z.string()),
  decidedAt: z.nullable(timestamp),
  reason: z.nullable(z.string()),
});

export const tutorApplicationListResponse = pageOf(tutorApplicationResponse);

export const meResponse = z.strictObject({
  id: z.string(),
  /** From the token, else the user item; null when neither has it. */
  name: z.nullable(z.string()),
  email: z.nullable(z.string()),
  /** The roles of the token the request carried (a role granted since arrives with the next token). */
  roles: z.array(z.enum(ROLES)),
  tutorProfile: z.nullable(tutorProfileResponse),
  tutorApplication: z.nullable(
    z.strictObject({ status: z.enum(TUTOR_APPLICATION_STATUSES), submittedAt: timestamp, decidedAt: z.nullable(timestamp), reason: z.nullable(z.string()) }),
  ),
  unreadNotifications: integer(z.minimum(0)),
});
