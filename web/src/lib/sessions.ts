/**
 * What the screens say about a session: which tab it belongs in, how its status reads, who
 * the viewer is to it, and what cancelling it would give back. Pure; time comes in as `now`.
 */
import { DateTime } from 'luxon';
import { sessionEnd } from './time';
import type { Money, Session, SessionStatus, StudentView, TutorView, PaymentStatus } from './types';

type ViewFields = Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes'>;

export const STUDENT_TABS: readonly { view: StudentView; label: string; empty: string }[] = [
  { view: 'awaiting-approval', label: 'Awaiting approval', empty: 'No requests are waiting for a tutor.' },
  { view: 'ready-for-payment', label: 'Ready for payment', empty: 'Nothing to pay for.' },
  { view: 'upcoming', label: 'Upcoming', empty: 'No upcoming sessions.' },
  { view: 'history', label: 'History', empty: 'No past sessions yet.' },
  { view: 'rejected', label: 'Rejected', empty: 'No rejected requests.' },
];

export const TUTOR_TABS: readonly { view: TutorView; label: string; empty: string }[] = [
  { view: 'approvals', label: 'Approvals', empty: 'No requests waiting for your approval.' },
  { view: 'pending', label: 'Pending', empty: 'No scheduled sessions.' },
  { view: 'active', label: 'Active', empty: 'No session is in progress.' },
  { view: 'completed', label: 'Completed', empty: 'No completed sessions yet.' },
];

const ended = (s: ViewFields, now: Date) => sessionEnd(s).getTime() <= now.getTime();

/**
 * The student's tab a session is listed in (as the API files it): a session that is approved
 * but unpaid is "Ready for payment" (it is also upcoming, but that is where it needs acting on).
 */
export const studentViewOf = (s: ViewFields, now: Date): StudentView => {
  switch (s.status) {
    case 'PENDING_MENTOR_REVIEW':
      return 'awaiting-approval';
    case 'REJECTED':
      return 'rejected';
    case 'COMPLETED':
    case 'CANCELLED':
      return 'history';
    case 'SCHEDULED':
    case 'IN_PROGRESS':
      if (ended(s, now)) return 'history';
      return s.status === 'SCHEDULED' && s.paymentStatus === 'PENDING' ? 'ready-for-payment' : 'upcoming';
  }
};

/** The tutor's tab, or null for a session no tab lists (rejected, cancelled). */
export const tutorViewOf = (s: Pick<Session, 'status'>): TutorView | null => {
  switch (s.status) {
    case 'PENDING_MENTOR_REVIEW':
      return 'approvals';
    case 'SCHEDULED':
      return 'pending';
    case 'IN_PROGRESS':
      return 'active';
    case 'COMPLETED':
      return 'completed';
    default:
      return null;
  }
};

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info';

export const STATUS_LABELS: Record<SessionStatus, { label: string; tone: Tone }> = {
  PENDING_MENTOR_REVIEW: { label: 'Awaiting approval', tone: 'warn' },
  REJECTED: { label: 'Rejected', tone: 'bad' },
  SCHEDULED: { label: 'Scheduled', tone: 'info' },
  IN_PROGRESS: { label: 'In progress', tone: 'good' },
  COMPLETED: { label: 'Completed', tone: 'neutral' },
  CANCELLED: { label: 'Cancelled', tone: 'bad' },
};

export const PAYMENT_LABELS: Record<PaymentStatus, { label: string; tone: Tone }> = {
  PENDING: { label: 'Payment pending', tone: 'warn' },
  PAID: { label: 'Paid', tone: 'good' },
  FAILED: { label: 'Payment failed', tone: 'bad' },
  REFUNDED: { label: 'Refunded', tone: 'neutral' },
};

export type Party = 'student' | 'tutor' | 'admin' | 'none';

/** Who the viewer is to the session (a tutor booking another tutor is that session's student). */
export const partyOf = (s: Pick<Session, 'studentId' | 'tutorId'>, userId: string | undefined, isAdmin: boolean): Party =>
  s.studentId === userId ? 'student' : s.tutorId === userId ? 'tutor' : isAdmin ? 'admin' : 'none';

/** Paid, start ahead, and the student may cancel free of charge until 24 hours before it. */
export const FREE_CANCELLATION_HOURS = 24;

export type RefundPreview =
  { kind: 'not-cancellable'; reason: string } | { kind: 'nothing-paid' } | { kind: 'full'; amount: Money } | { kind: 'none'; amount: Money; freeUntil: string };

/**
 * What cancelling now gives back, by the platform's cancellation policy: a session can be
 * cancelled before it starts while it is awaiting approval or scheduled; unpaid, nothing to
 * refund; paid, the tutor or an admin cancelling refunds in full, the student cancelling
 * refunds in full up to 24 hours before the start and nothing after that. The server decides;
 * this tells the viewer before they confirm.
 */
export const refundPreview = (s: Pick<Session, 'status' | 'paymentStatus' | 'price' | 'scheduledAt'>, by: Party, now: Date): RefundPreview => {
  if (s.status !== 'PENDING_MENTOR_REVIEW' && s.status !== 'SCHEDULED')
    return { kind: 'not-cancellable', reason: `A session that is ${STATUS_LABELS[s.status].label.toLowerCase()} cannot be cancelled.` };
  if (now.getTime() >= Date.parse(s.scheduledAt)) return { kind: 'not-cancellable', reason: 'A session that has started can no longer be cancelled.' };
  if (s.paymentStatus !== 'PAID') return { kind: 'nothing-paid' };
  if (by !== 'student') return { kind: 'full', amount: s.price };
  const freeUntil = DateTime.fromISO(s.scheduledAt, { zone: 'utc' }).minus({ hours: FREE_CANCELLATION_HOURS });
  return now.getTime() <= freeUntil.toMillis() ? { kind: 'full', amount: s.price } : { kind: 'none', amount: s.price, freeUntil: freeUntil.toISO()! };
};

/** The pre-filled "Request again" link: the same tutor, with the request's title, notes, length and mode. */
export const requestAgainHref = (s: Pick<Session, 'tutorId' | 'title' | 'notes' | 'durationMinutes' | 'bookingMode'>): string => {
  const q = new URLSearchParams({ title: s.title, duration: String(s.durationMinutes), mode: s.bookingMode });
  if (s.notes) q.set('notes', s.notes);
  return `/mentorship/mentors/${encodeURIComponent(s.tutorId)}?${q.toString()}`;
};

/** Up to this long before its start a session can still be moved. */
export const RESCHEDULE_NOTICE_HOURS = 12;

/**
 * Whether the viewer may move the session now: its student or tutor, a request or a scheduled
 * booking, up to 12 hours before it starts (a request also before its approval deadline).
 */
export const canReschedule = (s: Pick<Session, 'status' | 'scheduledAt' | 'approvalDeadline'>, by: Party, now: Date): boolean => {
  if (by !== 'student' && by !== 'tutor') return false;
  if (s.status !== 'PENDING_MENTOR_REVIEW' && s.status !== 'SCHEDULED') return false;
  if (s.status === 'PENDING_MENTOR_REVIEW' && s.approvalDeadline && now.getTime() >= Date.parse(s.approvalDeadline)) return false;
  return now.getTime() <= DateTime.fromISO(s.scheduledAt, { zone: 'utc' }).minus({ hours: RESCHEDULE_NOTICE_HOURS }).toMillis();
};

/** "Payment processing…" shows while a checkout came back (`?reference=`) and the money is not confirmed yet. */
export const awaitingPayment = (s: Pick<Session, 'status' | 'paymentStatus'>, returnedFromCheckout: boolean): boolean =>
  returnedFromCheckout && s.paymentStatus === 'PENDING' && (s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS');

/**
 * Whether the viewer starts the meeting as its host: the tutor of a session whose link is its
 * Zoom meeting (the start link is fetched fresh on click, it expires); everyone else, and the
 * tutor of a session with their own link, opens the meeting's join link.
 */
export const startsAsHost = (s: { hostsMeeting?: true | undefined }, by: Party): boolean => by === 'tutor' && s.hostsMeeting === true;
