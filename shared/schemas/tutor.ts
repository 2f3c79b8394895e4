/** The tutor profile: the body of PUT /tutors/me and, with ids and times, what is stored. */
import * as z from 'zod';
import { SLOT_MINUTES } from '../domain/booking';
import { MAX_BUFFER_MINUTES, MAX_SLOTS_RANGE_DAYS, WEEKDAYS } from '../domain/availability';
import { BOOKING_MODES } from '../domain/session';
import { instant, money, userId } from './common';

export { WEEKDAYS };

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Must be HH:MM (00:00–24:00)');

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const availabilityWindow = z
  .object({ day: z.enum(WEEKDAYS), start: clockTime, end: clockTime })
  .strict()
  .refine((w) => w.start < w.end, { message: 'start must be before end', path: ['end'] });

export const tutorProfileInput = z
  .object({
    displayName: z.string().trim().min(1).max(80),
    bio: z.string().trim().max(2000).default(''),
    hourlyRate: money.refine((m) => m.amount > 0, { message: 'Must be more than zero', path: ['amount'] }),
    durations: z
      .array(z.number().int().min(SLOT_MINUTES).max(240).multipleOf(SLOT_MINUTES))
      .min(1)
      .max(16)
      .refine((d) => new Set(d).size === d.length, 'Durations must be distinct'),
    bookingModes: z
      .array(z.enum(BOOKING_MODES))
      .min(1)
      .refine((m) => new Set(m).size === m.length, 'Booking modes must be distinct'),
    timezone: z.string().max(64).refine(isTimeZone, 'Must be an IANA time zone such as Africa/Lagos').default('UTC'),
    availability: z.array(availabilityWindow).max(70).default([]),
    minimumNoticeMinutes: z.number().int().min(0).max(14 * 24 * 60).default(15),
    bufferMinutes: z.number().int().min(0).max(MAX_BUFFER_MINUTES).multipleOf(SLOT_MINUTES).default(0),
  })
  .strict();

export type TutorProfileInput = z.output<typeof tutorProfileInput>;

export interface TutorProfile extends TutorProfileInput {
  id: string;
  ratingAverage: number | null;
  ratingCount: number;
  createdAt: string;
  updatedAt: string;
}

export const tutorPath = z.object({ tutorId: userId }).strict();

/** GET /tutors/{tutorId}/slots: free start times in [from, to), at most 14 days, for one duration. */
export const slotsQuery = z
  .object({
    from: instant,
    to: instant,
    durationMinutes: z.coerce.number().int().min(SLOT_MINUTES).max(240).multipleOf(SLOT_MINUTES),
  })
  .strict()
  // Refinements run even when a field failed: only compare two parsed instants.
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.to.getTime() > q.from.getTime(), { message: 'Must be after from', path: ['to'] })
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.to.getTime() - q.from.getTime() <= MAX_SLOTS_RANGE_DAYS * 24 * 3_600_000, {
    message: `At most ${MAX_SLOTS_RANGE_DAYS} days after from`,
    path: ['to'],
  });
export type SlotsQuery = z.output<typeof slotsQuery>;
