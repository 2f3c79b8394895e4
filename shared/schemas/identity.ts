/**
 * The identity routes: GET /me, applying to tutor and the admins' decisions. Requests are
 * strict (unknown fields are a 400); the `…Response` schemas describe what the routes answer.
 */
import { TUTOR_APPLICATION_STATUSES } from '../domain/tutor-application';
import { ROLES } from '../http/auth';
import { money, pageQuery, userId } from './common';
import { availabilityWindow, tutorProfileInput } from './tutor';
import { SESSION_DURATIONS } from '../domain/booking';
import { BOOKING_MODES } from '../domain/session';
import * as z from './zod';

/** POST /me/tutor-application: the profile the applicant would publish, validated as PUT /tutors/me validates it. */
export const tutorApplicationBody = tutorProfileInput;

export const tutorApplicationPath = z.strictObject({ userId });

/** GET /admin/tutor-applications: one status at a time (default PENDING), oldest first. */
export const adminTutorApplicationsQuery = z.strictObject({ status: z._default(z.enum(TUTOR_APPLICATION_STATUSES), 'PENDING'), ...pageQuery });

/** POST /admin/tutor-applications/{userId}/decline: the reason is required, and the applicant is told it. */
export { reasonBody as declineTutorApplicationBody } from './session';

// ---------------------------------------------------------------- responses

const isoInstant = z.string().check(z.describe('ISO 8601 instant (UTC)'));

/** The fields a tutor writes (PUT /tutors/me), as stored. */
const profileFields = {
  displayName: z.string(),
  bio: z.string(),
  hourlyRate: money,
  durations: z.array(z.literal(SESSION_DURATIONS)),
  bookingModes: z.array(z.enum(BOOKING_MODES)),
  timezone: z.string(),
  availability: z.array(availabilityWindow),
  minimumNoticeMinutes: z.number(),
  bufferMinutes: z.number(),
};

const storedTutorProfile = z.object({
  id: z.string(),
  ...profileFields,
  ratingAverage: z.nullable(z.number()),
  ratingCount: z.number(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});

export const tutorApplicationResponse = z.object({
  userId: z.string(),
  status: z.enum(TUTOR_APPLICATION_STATUSES),
  applicant: z.object({ displayName: z.string(), email: z.string() }),
  profile: z.object(profileFields),
  submittedAt: isoInstant,
  updatedAt: isoInstant,
  decidedBy: z.nullable(z.string()),
  decidedAt: z.nullable(isoInstant),
  reason: z.nullable(z.string()),
});

export const tutorApplicationListResponse = z.object({ items: z.array(tutorApplicationResponse), nextCursor: z.nullable(z.string()) });

export const meResponse = z.object({
  id: z.string(),
  /** From the token, else the user item; null when neither has it. */
  name: z.nullable(z.string()),
  email: z.nullable(z.string()),
  /** The roles of the token the request carried (a role granted since arrives with the next token). */
  roles: z.array(z.enum(ROLES)),
  tutorProfile: z.nullable(storedTutorProfile),
  tutorApplication: z.nullable(
    z.object({ status: z.enum(TUTOR_APPLICATION_STATUSES), submittedAt: isoInstant, decidedAt: z.nullable(isoInstant), reason: z.nullable(z.string()) }),
  ),
  unreadNotifications: z.number().check(z.int(), z.nonnegative()),
});
