/** The tutor profile: the body of PUT /tutors/me and, with ids and times, what is stored. */
import { MAX_BUFFER_MINUTES, MAX_SLOTS_RANGE_DAYS, WEEKDAYS } from '../domain/availability';
import { SESSION_DURATIONS, SLOT_MINUTES } from '../domain/booking';
import { BOOKING_MODES } from '../domain/session';
import type { TutorApplicationOf } from '../domain/tutor-application';
import { distinct, durationMinutes, durationMinutesQuery, instant, integer, pageOf, price, text, timestamp, userId } from './common';
import { reviewResponse } from './review';
import * as z from './zod';

export { WEEKDAYS };

const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Must be HH:MM (00:00–24:00)'));

/** The shape of an IANA zone name (Africa/Lagos, America/Port-au-Prince, Etc/GMT+1, UTC); whether it exists is Intl's to say. */
const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+/-]*$/;
const TIME_ZONE_MESSAGE = 'Must be an IANA time zone such as Africa/Lagos';

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const availabilityWindow = z
  .strictObject({ day: z.enum(WEEKDAYS), start: clockTime, end: clockTime })
  .check(z.refine((w) => w.start < w.end, { error: 'start must be before end', path: ['end'] }));

export const tutorProfileInput = z.strictObject({
  displayName: text(z.minLength(1), z.maxLength(80)),
  bio: z._default(text(z.maxLength(2000)), ''),
  hourlyRate: price,
  durations: z.array(durationMinutes).check(z.minLength(1), z.maxLength(SESSION_DURATIONS.length), distinct('Durations must be distinct')),
  bookingModes: z.array(z.enum(BOOKING_MODES)).check(z.minLength(1), distinct('Booking modes must be distinct')),
  timezone: z._default(z.string().check(z.maxLength(64), z.regex(TIME_ZONE_NAME, { error: TIME_ZONE_MESSAGE, abort: true }), z.refine(isTimeZone, TIME_ZONE_MESSAGE)), 'UTC'),
  availability: z._default(z.array(availabilityWindow).check(z.maxLength(70)), []),
  minimumNoticeMinutes: z._default(integer(z.minimum(0), z.maximum(14 * 24 * 60)), 15),
  bufferMinutes: z._default(integer(z.minimum(0), z.maximum(MAX_BUFFER_MINUTES), z.multipleOf(SLOT_MINUTES)), 0),
});

export type TutorProfileInput = z.output<typeof tutorProfileInput>;

/** An application to tutor (shared/domain/tutor-application.ts) with the profile it would publish. */
export type TutorApplication = TutorApplicationOf<TutorProfileInput>;

export interface TutorProfile extends TutorProfileInput {
  id: string;
  ratingAverage: number | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
}

export const tutorPath = z.strictObject({ tutorId: userId });

/**
 * GET /tutors/{tutorId}/slots: free start times in [from, to), at most 14 days, for one duration.
 * JSON Schema cannot compare two parameters: the OpenAPI document states the range rule on
 * `to` in words and as `x-after` (the parameter it must follow) and `x-maxDaysAfter`.
 */
export const slotsQuery = z
  .strictObject({
    from: instant,
    to: instant.check(z.describe(`After from, and at most ${MAX_SLOTS_RANGE_DAYS} days after it`), z.meta({ 'x-after': 'from', 'x-maxDaysAfter': MAX_SLOTS_RANGE_DAYS })),
    durationMinutes: durationMinutesQuery,
  })
  // Refinements run even when a field failed: only compare two parsed instants.
  .check(
    z.refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.to.getTime() > q.from.getTime(), { error: 'Must be after from', path: ['to'] }),
    z.refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.to.getTime() - q.from.getTime() <= MAX_SLOTS_RANGE_DAYS * 24 * 3_600_000, {
      error: `At most ${MAX_SLOTS_RANGE_DAYS} days after from`,
      path: ['to'],
    }),
  );
export type SlotsQuery = z.output<typeof slotsQuery>;

// ---------------------------------------------------------------- responses

/** The stored profile: what the tutor sent (defaults filled in), with ids, ratings and times. */
export const tutorProfileResponse = z.extend(tutorProfileInput, {
  id: z.string(),
  ratingAverage: z.nullable(z.number()).check(z.describe('null until the first review')),
  ratingCount: integer(z.minimum(0)),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** GET /tutors. */
export const tutorListResponse = pageOf(tutorProfileResponse);

/** GET /tutors/{tutorId}: the profile with its five newest reviews. */
export const tutorPageResponse = z.extend(tutorProfileResponse, { recentReviews: z.array(reviewResponse) });

/** GET /tutors/{tutorId}/slots: free starts, each with the end of a session of the asked duration. */
export const slotsResponse = z.strictObject({
  timezone: z.string().check(z.describe('The tutor’s time zone (their availability is in it)')),
  items: z.array(z.strictObject({ start: timestamp, end: timestamp })),
});
