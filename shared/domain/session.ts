/**
 * The session lifecycle: statuses, who may move a session from which state to which, and
 * the time rules around it. Pure: no I/O, time comes in as an argument.
 */
import { HOUR_MS, MINUTE_MS } from './clock';
import { ForbiddenError, InvalidStateError } from './errors';
import type { Money } from './money';

export const SESSION_STATUSES = ['PENDING_MENTOR_REVIEW', 'REJECTED', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const PAYMENT_STATUSES = ['PENDING', 'PAID', 'FAILED', 'REFUNDED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const BOOKING_MODES = ['INSTANT', 'REQUEST'] as const;
export type BookingMode = (typeof BOOKING_MODES)[number];

/** Statuses whose time range is held on the tutor's calendar: two of them never overlap. */
export const ACTIVE_STATUSES: readonly SessionStatus[] = ['PENDING_MENTOR_REVIEW', 'SCHEDULED', 'IN_PROGRESS'];

export const isActive = (status: SessionStatus): boolean => ACTIVE_STATUSES.includes(status);

/** Booked: paid, from its confirmation on (also once cancelled and refunded): it has a calendar invite. */
export const isBooked = (s: Pick<Session, 'paymentStatus'>): boolean => s.paymentStatus === 'PAID' || s.paymentStatus === 'REFUNDED';

export interface PartySummary {
  id: string;
  displayName: string;
}

export interface Session {
  id: string;
  studentId: string;
  tutorId: string;
  student: PartySummary;
  tutor: PartySummary;
  title: string;
  notes: string | null;
  scheduledAt: string;
  durationMinutes: number;
  /** The tutor's buffer held after it on the tutor's calendar (blocks [start, end + buffer)); absent on older items. */
  bufferMinutes?: number | null;
  price: Money;
  bookingMode: BookingMode;
  status: SessionStatus;
  paymentStatus: PaymentStatus;
  meetingUrl: string | null;
  /** The Zoom meeting created for it, if one was (its join URL is `meetingUrl` unless the tutor set another). */
  meetingId?: string | null;
  approvalNotes: string | null;
  rejectedAt: string | null;
  approvalDeadline: string | null;
  /** When the tutor approved (REQUEST); the payment window is measured from it. */
  approvedAt?: string | null;
  /** Pay by this time or the booking is cancelled and the slot released. */
  paymentDeadline?: string | null;
  /** Why and when it was cancelled, if it was. */
  cancellationReason?: string | null;
  cancelledAt?: string | null;
  cancelledBy?: Actor | null;
  /** Set once the student has reviewed the session (a second review is refused). */
  reviewedAt?: string | null;
  /** The Paystack reference of the session's open (or settled) transaction. */
  paymentReference?: string | null;
  /** The start time the reminder was sent for (a rescheduled session is reminded again). */
  reminderSentFor?: string | null;
  createdAt: string;
  updatedAt: string;
}

export type Actor = 'STUDENT' | 'TUTOR' | 'ADMIN' | 'SYSTEM';

export type Transition = 'APPROVE' | 'REJECT' | 'EXPIRE' | 'CANCEL' | 'START' | 'COMPLETE';

interface TransitionRule {
  from: readonly SessionStatus[];
  to: SessionStatus;
  actors: readonly Actor[];
}

/**
 * Which actor may make which transition from which state. Payment moves `paymentStatus`,
 * not `status`, so it is not in this table. SYSTEM is the workflow (deadlines, timeline).
 */
export const TRANSITIONS: Record<Transition, TransitionRule> = {
  APPROVE: { from: ['PENDING_MENTOR_REVIEW'], to: 'SCHEDULED', actors: ['TUTOR'] },
  REJECT: { from: ['PENDING_MENTOR_REVIEW'], to: 'REJECTED', actors: ['TUTOR'] },
  EXPIRE: { from: ['PENDING_MENTOR_REVIEW'], to: 'REJECTED', actors: ['SYSTEM'] },
  CANCEL: {
    from: ['PENDING_MENTOR_REVIEW', 'SCHEDULED'],
    to: 'CANCELLED',
    actors: ['STUDENT', 'TUTOR', 'ADMIN', 'SYSTEM'],
  },
  START: { from: ['SCHEDULED'], to: 'IN_PROGRESS', actors: ['SYSTEM'] },
  COMPLETE: { from: ['IN_PROGRESS'], to: 'COMPLETED', actors: ['SYSTEM'] },
};

/**
 * Checks that `actor` may make `transition` on a session in `status`; returns the new status.
 * A wrong actor is 403, a wrong state 409 INVALID_STATE.
 */
export const transition = (status: SessionStatus, name: Transition, actor: Actor): SessionStatus => {
  const rule = TRANSITIONS[name];
  if (!rule.actors.includes(actor)) throw new ForbiddenError(`${actor} may not ${name.toLowerCase()} a session`);
  if (!rule.from.includes(status)) {
    throw new InvalidStateError(`Cannot ${name.toLowerCase()} a session that is ${status}`);
  }
  return rule.to;
};

/** A decision after the approval deadline loses to the deadline: 409, like any lost race. */
export const assertBeforeDeadline = (s: Pick<Session, 'approvalDeadline'>, now: Date): void => {
  if (s.approvalDeadline && now.getTime() >= Date.parse(s.approvalDeadline)) {
    throw new InvalidStateError('The request expired at its approval deadline');
  }
};

/** The note an expired request is rejected with: what tells its expiry from the tutor's rejection. */
export const EXPIRED_NOTE = 'Expired: the tutor did not answer before the approval deadline.';

/** Whether the request was closed by its expiry (not by the tutor's rejection). */
export const isExpired = (s: Pick<Session, 'status' | 'approvalNotes'>): boolean => s.status === 'REJECTED' && s.approvalNotes === EXPIRED_NOTE;

/** How long a tutor has to answer a request. */
export const APPROVAL_WINDOW_MS = 72 * HOUR_MS;

/** The approval deadline: 72 hours after the request, or the session's start if that comes first. */
export const approvalDeadline = (requestedAt: Date, scheduledAt: Date): Date => new Date(Math.min(requestedAt.getTime() + APPROVAL_WINDOW_MS, scheduledAt.getTime()));

export const sessionEnd = (s: Pick<Session, 'scheduledAt' | 'durationMinutes'>): Date => new Date(Date.parse(s.scheduledAt) + s.durationMinutes * MINUTE_MS);

/** Two half-open ranges [start, end) overlap. Back-to-back sessions do not. */
export const overlaps = (aStart: Date, aEnd: Date, bStart: Date, bEnd: Date): boolean => aStart.getTime() < bEnd.getTime() && bStart.getTime() < aEnd.getTime();

export interface LiveInfo {
  isLive: boolean;
  startsInSeconds: number;
}

/**
 * For the session page: live from `scheduledAt` to `scheduledAt + durationMinutes` inclusive,
 * and only while the session is SCHEDULED or IN_PROGRESS (a cancelled session is never live).
 * `startsInSeconds` counts down to the start and is 0 once it has started.
 */
export const liveInfo = (s: Pick<Session, 'scheduledAt' | 'durationMinutes' | 'status'>, now: Date): LiveInfo => {
  const start = Date.parse(s.scheduledAt);
  const end = sessionEnd(s).getTime();
  const t = now.getTime();
  const joinable = s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS';
  return {
    isLive: joinable && t >= start && t <= end,
    startsInSeconds: Math.max(0, Math.ceil((start - t) / 1000)),
  };
};
