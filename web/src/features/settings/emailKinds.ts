/** The email kinds a person reads about on the preferences and unsubscribe pages, in words. */
import type { EmailKind, Preferences } from '../../lib/types';

type AlwaysSent = Preferences['alwaysSent'][number];

/** The optional kinds, in the order the page lists them. */
export const EMAIL_KIND_LABELS = {
  REQUEST_RECEIVED: 'New session requests',
  APPROVAL_DEADLINE_APPROACHING: 'Requests about to expire',
  REQUEST_REJECTED: 'Declined requests',
  REQUEST_EXPIRED: 'Expired requests',
  SESSION_REMINDER: 'Session reminders',
  SESSION_RESCHEDULED: 'Rescheduled sessions',
  SESSION_CANCELLED: 'Cancelled sessions',
  MEETING_LINK_NEEDED: 'Meeting link needed',
  RECORDING_READY: 'Recordings ready',
  TUTOR_APPLICATION_DECIDED: 'Answers to your tutor application',
} as const satisfies Record<EmailKind, string>;

/** The kinds about money: always sent. */
export const ALWAYS_SENT_LABELS = {
  REQUEST_APPROVED: 'Approved requests (payment due)',
  BOOKING_CONFIRMED: 'Booking confirmations',
  REFUND_ISSUED: 'Refunds',
  PAYOUT_ACCOUNT_CHANGED: 'Payout account changes',
  WITHDRAWAL_SUCCEEDED: 'Withdrawals paid out',
  WITHDRAWAL_FAILED: 'Failed withdrawals',
} as const satisfies Record<AlwaysSent, string>;

export const EMAIL_KINDS = Object.keys(EMAIL_KIND_LABELS) as EmailKind[];

export const emailKindLabel = (k: EmailKind): string => EMAIL_KIND_LABELS[k];
export const alwaysSentLabel = (k: AlwaysSent): string => ALWAYS_SENT_LABELS[k];
