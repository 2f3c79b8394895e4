/** Schemas of the session routes: requests (every object strict: unknown fields are a 400), then responses. */
import { OWED_REFUND_STATUSES } from '../domain/refund';
import { BOOKING_MODES, PAYMENT_STATUSES, SESSION_STATUSES, type Actor } from '../domain/session';
import { STUDENT_VIEWS, TUTOR_VIEWS } from '../domain/views';
import { allOf, durationMinutes, instant, integer, later, moneyResponse, pageOf, pageQuery, text, timestamp, trimmed, userId } from './common';
import { reviewResponse } from './review';
import { sessionId } from './session-id';
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

export { emptyBody, reasonBody } from './decision';

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

// ---------------------------------------------------------------- responses

export const partySummary = z.strictObject({ id: z.string(), displayName: z.string() });

const ACTORS = allOf<Actor>({ STUDENT: true, TUTOR: true, ADMIN: true, SYSTEM: true });

/** A session as every route shows it (shared/usecases/session-access.ts presentSession). */
export const sessionResponse = z.strictObject({
  id: sessionId,
  studentId: z.string(),
  tutorId: z.string(),
  student: partySummary,
  tutor: partySummary,
  title: z.string(),
  notes: z.nullable(z.string()),
  scheduledAt: timestamp,
  durationMinutes,
  bufferMinutes: later(integer(z.minimum(0))).check(z.describe('The tutor’s buffer held after the session')),
  price: moneyResponse,
  bookingMode: z.enum(BOOKING_MODES),
  status: z.enum(SESSION_STATUSES),
  paymentStatus: z.enum(PAYMENT_STATUSES),
  meetingUrl: z.nullable(z.string()),
  meetingId: later(z.string()).check(z.describe('The Zoom meeting created for it, if one was')),
  approvalNotes: z.nullable(z.string()).check(z.describe('The tutor’s reason, on a rejected request')),
  rejectedAt: z.nullable(timestamp),
  approvalDeadline: z.nullable(timestamp),
  approvedAt: later(timestamp),
  paymentDeadline: later(timestamp),
  cancellationReason: later(z.string()),
  cancelledAt: later(timestamp),
  cancelledBy: later(z.enum(ACTORS)),
  reviewedAt: later(timestamp),
  paymentReference: later(z.string()),
  reminderSentFor: later(timestamp).check(z.describe('The start time the reminder was sent for')),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** GET /sessions/{sessionId}: the session page. */
export const sessionPageResponse = z.extend(sessionResponse, {
  isLive: z.boolean(),
  startsInSeconds: integer(z.minimum(0)).check(z.describe('0 once it has started')),
  hostsMeeting: z.optional(z.literal(true)).check(z.describe('For the session’s tutor: its Zoom meeting can be started as host (GET /sessions/{sessionId}/host-link)')),
});

/** GET /sessions/{sessionId}/host-link: a fresh Zoom start link for the tutor. */
export const hostLinkResponse = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).check(z.describe('Starts the meeting as its host; do not share it')),
  expiresAt: timestamp.check(z.describe('Fetch a new one after this')),
});

/** A Paystack checkout: send the student to `authorizationUrl`. */
export const paymentResponse = z.strictObject({ reference: z.string(), authorizationUrl: z.url() });

/** POST /sessions: INSTANT bookings come with their checkout. */
export const bookingResponse = z.strictObject({ session: sessionResponse, payment: z.optional(paymentResponse) });

/** POST /sessions/{sessionId}/cancel: the refund owed when it was paid. */
export const cancelResponse = z.strictObject({
  session: sessionResponse,
  refund: z.nullable(z.strictObject({ amount: moneyResponse, status: z.literal('PENDING') })),
});

/** POST /sessions/{sessionId}/review: the review, and the tutor it rates (their new rating is on GET /tutors/{tutorId}). */
export const reviewSessionResponse = z.strictObject({
  review: reviewResponse,
  tutor: z.strictObject({ id: z.string() }),
});

/** One cloud recording file, with its meeting's passcode (fields as Zoom reported them, null when it did not). */
export const recordingResponse = z.strictObject({
  id: z.nullable(z.string()),
  recordingType: z.nullable(z.string()).check(z.describe('e.g. shared_screen_with_speaker_view, audio_only')),
  fileType: z.nullable(z.string()),
  fileExtension: z.nullable(z.string()),
  fileSize: z.nullable(z.number()),
  status: z.nullable(z.string()),
  recordingStart: z.nullable(z.string()),
  recordingEnd: z.nullable(z.string()),
  playUrl: z.nullable(z.string()).check(z.describe('Zoom’s web player')),
  downloadUrl: z.nullable(z.string()).check(z.describe('Needs a Zoom access token unless the account allows public downloads')),
  passcode: z.nullable(z.string()),
});
export const recordingsResponse = z.strictObject({ items: z.array(recordingResponse) });

/** GET /me/sessions and GET /admin/sessions. */
export const sessionListResponse = pageOf(sessionResponse);

/** GET /tutor/sessions: each with the tutor's share of its price. */
export const tutorSessionResponse = z.extend(sessionResponse, { tutorEarnings: moneyResponse });
export const tutorSessionListResponse = pageOf(tutorSessionResponse);
