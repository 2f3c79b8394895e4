/** Request schemas for the session routes. Every object is strict: unknown fields are a 400. */
import * as z from 'zod';
import { BOOKING_MODES, SESSION_STATUSES } from '../domain/session';
import { STUDENT_VIEWS, TUTOR_VIEWS } from '../domain/views';
import { instant, pageQuery, sessionId, userId } from './common';

export const createSessionBody = z
  .object({
    tutorId: userId,
    scheduledAt: instant,
    durationMinutes: z.number().int().positive().max(240),
    title: z.string().trim().min(1).max(120),
    notes: z.string().trim().max(2000).nullish(),
    bookingMode: z.enum(BOOKING_MODES),
  })
  .strict();
export type CreateSessionBody = z.output<typeof createSessionBody>;

export const sessionPath = z.object({ sessionId }).strict();

/** POST /sessions/{id}/reschedule: the new start. */
export const rescheduleBody = z.object({ scheduledAt: instant }).strict();

export const reasonBody = z
  .object({ reason: z.string().trim().min(1, 'A reason is required').max(1000) })
  .strict();

/** Routes that take no input (approve, payment): an empty object is accepted, anything else is a 400. */
export const emptyBody = z.object({}).strict().optional();

export const studentSessionsQuery = z.object({ view: z.enum(STUDENT_VIEWS), ...pageQuery }).strict();
export const tutorSessionsQuery = z.object({ view: z.enum(TUTOR_VIEWS), ...pageQuery }).strict();
export const adminSessionsQuery = z.object({ status: z.enum(SESSION_STATUSES), ...pageQuery }).strict();

/** Long enough for any meeting link with its passcode; longer is not a link we want to show. */
export const MEETING_URL_MAX = 2048;

/**
 * A meeting link a tutor sets: an absolute https URL on a domain name, without credentials
 * (never `javascript:`, `http:`, an IP address or a bare word). Stored normalized.
 */
const isHttpsLink = (v: string): boolean => {
  if (!URL.canParse(v)) return false;
  const url = new URL(v);
  return url.protocol === 'https:' && z.regexes.domain.test(url.hostname) && !url.username && !url.password;
};

export const meetingUrl = z
  .string()
  .trim()
  .max(MEETING_URL_MAX, { error: `Must be at most ${MEETING_URL_MAX} characters`, abort: true })
  .refine(isHttpsLink, 'Must be an https URL on a domain name, without a user name or password')
  .transform((v) => new URL(v).href);

export const meetingUrlBody = z.object({ meetingUrl }).strict();
