/** The tutor profile: the body of PUT /tutors/me and, with ids and times, what is stored. */
import { SLOT_MINUTES } from '../domain/booking';
import { MAX_BUFFER_MINUTES, MAX_SLOTS_RANGE_DAYS, WEEKDAYS } from '../domain/availability';
import { BOOKING_MODES } from '../domain/session';
import { distinct, instant, integer, money, trimmed, userId } from './common';
import * as z from './zod';

export { WEEKDAYS };

const clockTime = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Must be HH:MM (00:00–24:00)'));

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
  displayName: trimmed(z.minLength(1), z.maxLength(80)),
  bio: z._default(trimmed(z.maxLength(2000)), ''),
  hourlyRate: money.check(z.refine((m) => m.amount > 0, { error: 'Must be more than zero', path: ['amount'] })),
  durations: z.array(integer(z.minimum(SLOT_MINUTES), z.maximum(240), z.multipleOf(SLOT_MINUTES))).check(z.minLength(1), z.maxLength(16), distinct('Durations must be distinct')),
  bookingModes: z.array(z.enum(BOOKING_MODES)).check(z.minLength(1), distinct('Booking modes must be distinct')),
  timezone: z._default(z.string().check(z.maxLength(64), z.refine(isTimeZone, 'Must be an IANA time zone such as Africa/Lagos')), 'UTC'),
  availability: z._default(z.array(availabilityWindow).check(z.maxLength(70)), []),
  minimumNoticeMinutes: z._default(integer(z.minimum(0), z.maximum(14 * 24 * 60)), 15),
  bufferMinutes: z._default(integer(z.minimum(0), z.maximum(MAX_BUFFER_MINUTES), z.multipleOf(SLOT_MINUTES)), 0),
});

export type TutorProfileInput = z.output<typeof tutorProfileInput>;

export interface TutorProfile extends TutorProfileInput {
  id: string;
  ratingAverage: number | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
}

export const tutorPath = z.strictObject({ tutorId: userId });

/** GET /tutors/{tutorId}/slots: free start times in [from, to), at most 14 days, for one duration. */
export const slotsQuery = z
  .strictObject({
    from: instant,
    to: instant,
    durationMinutes: z.coerce.number().check(z.int(), z.minimum(SLOT_MINUTES), z.maximum(240), z.multipleOf(SLOT_MINUTES)),
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
