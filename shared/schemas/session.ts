/** Request schemas for the session routes. Every object is strict: unknown fields are a 400. */
import { OWED_REFUND_STATUSES } from '../domain/refund';
import { BOOKING_MODES, SESSION_STATUSES } from '../domain/session';
import { STUDENT_VIEWS, TUTOR_VIEWS } from '../domain/views';
import { durationMinutes, instant, pageQuery, sessionId, text, trimmed, userId } from './common';
import * as z from './zod';

export const createSessionBody = z.strictObject({
  tutorId: userId,
  scheduledAt: instant,
  durationMinutes,
  title: text(z.minLength(1), z.maxLength(120)),
  notes: z.nullish(text(z.maxLength(2000))),
  bookingMode: z.enum(BOOKING_MODES),
});
export type CreateSessionBody = z.output<typeof createSessionBody>;

export const sessionPath = z.strictObject({ sessionId });

/** POST /sessions/{id}/reschedule: the new start. */
export const rescheduleBody = z.strictObject({ scheduledAt: instant });

export const reasonBody = z.strictObject({ reason: text(z.minLength(1, 'A reason is required'), z.maxLength(1000)) });

/** Routes that take no input (approve, payment): an empty object is accepted, anything else is a 400. */
export const emptyBody = z.optional(z.strictObject({}));

export const studentSessionsQuery = z.strictObject({ view: z.enum(STUDENT_VIEWS), ...pageQuery });
export const tutorSessionsQuery = z.strictObject({ view: z.enum(TUTOR_VIEWS), ...pageQuery });
export const adminSessionsQuery = z.strictObject({ status: z.enum(SESSION_STATUSES), ...pageQuery });
/** GET /admin/refunds: the refunds owed in one state (OWED: not yet accepted by Paystack). */
export const adminRefundsQuery = z.strictObject({ status: z.enum(OWED_REFUND_STATUSES), ...pageQuery });

/** Long enough for any meeting link with its passcode; longer is not a link we want to show. */
export const MEETING_URL_MAX = 2048;

const HTTPS_LINK_MESSAGE = 'Must be an https URL on a domain name, without a user name or password';

/**
 * A meeting link a tutor sets: an absolute https URL on a domain name, without credentials
 * (never `javascript:`, `http:`, an IP address or a bare word). Stored normalized.
 */
const isHttpsLink = (v: string): boolean => {
  if (!URL.canParse(v)) return false;
  const url = new URL(v);
  return url.protocol === 'https:' && z.regexes.domain.test(url.hostname) && !url.username && !url.password;
};

/** What the OpenAPI document can say of it: https, an authority without credentials (the domain-name rule is the refinement's). */
const HTTPS_LINK = /^https:\/\/[^/?#@\\\s]+(?:[/?#].*)?$/;

export const meetingUrl = z.pipe(
  trimmed(
    z.maxLength(MEETING_URL_MAX, { error: `Must be at most ${MEETING_URL_MAX} characters`, abort: true }),
    z.regex(HTTPS_LINK, { error: HTTPS_LINK_MESSAGE, abort: true }),
    z.refine(isHttpsLink, HTTPS_LINK_MESSAGE),
  ),
  z.transform((v: string) => new URL(v).href),
);

export const meetingUrlBody = z.strictObject({ meetingUrl });
