/**
 * What each event tells whom, and where its action button points (the frontend's pages).
 * The notifier stores these in the inbox and pushes them over the WebSocket.
 */
import { splitRevenue, type Money } from './money';
import type { Session } from './session';

/** Events about a session: each notification names its session. */
export const SESSION_NOTIFICATION_EVENTS = [
  'REQUEST_RECEIVED',
  'APPROVAL_DEADLINE_APPROACHING',
  'REQUEST_APPROVED',
  'REQUEST_REJECTED',
  'REQUEST_EXPIRED',
  'BOOKING_CONFIRMED',
  'PAYMENT_RECEIVED',
  'MEETING_LINK_NEEDED',
  'SESSION_REMINDER',
  'SESSION_CANCELLED',
  'REFUND_ISSUED',
  'SESSION_RESCHEDULED',
  'RECORDING_READY',
] as const;
export type SessionNotificationEvent = (typeof SESSION_NOTIFICATION_EVENTS)[number];

/** Events about the user's account (the answer to an application to tutor, payouts): no session. */
export const ACCOUNT_NOTIFICATION_EVENTS = [
  'TUTOR_APPLICATION_APPROVED',
  'TUTOR_APPLICATION_DECLINED',
  'PAYOUT_ACCOUNT_CHANGED',
  'WITHDRAWAL_SUCCEEDED',
  'WITHDRAWAL_FAILED',
] as const;
export type AccountNotificationEvent = (typeof ACCOUNT_NOTIFICATION_EVENTS)[number];

export const NOTIFICATION_EVENTS = [...SESSION_NOTIFICATION_EVENTS, ...ACCOUNT_NOTIFICATION_EVENTS] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationContent {
  event: NotificationEvent;
  title: string;
  body: string;
  /** The session it tells of; absent for account events. */
  sessionId?: string;
  action: { label: string; href: string };
}

export interface Notification extends NotificationContent {
  id: string;
  userId: string;
  createdAt: string;
  readAt: string | null;
}

/** Frontend pages the actions point at. */
export const PAGES = {
  session: (id: string) => `/mentorship/session/${id}`,
  approvals: '/tutor/mentorship?tab=approvals',
  browseMentors: '/mentorship/mentors',
  tutorSessions: '/tutor/mentorship?tab=pending',
  tutorDashboard: '/tutor/mentorship',
  wallet: '/tutor/wallet',
} as const;

const formatMoney = (m: Money): string => `${m.currency} ${(m.amount / 100).toLocaleString('en-NG', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const when = (s: Pick<Session, 'scheduledAt'>): string => new Date(s.scheduledAt).toLocaleString('en-GB', { timeZone: 'UTC', dateStyle: 'medium', timeStyle: 'short' }) + ' UTC';

type S = Pick<Session, 'id' | 'title' | 'scheduledAt' | 'price' | 'student' | 'tutor' | 'approvalNotes'>;

export const notificationContent = (event: SessionNotificationEvent, s: S, extra: { reason?: string; refund?: Money; previousScheduledAt?: string } = {}): NotificationContent => {
  const view = { label: 'View Session', href: PAGES.session(s.id) };
  const base = { event, sessionId: s.id };
  switch (event) {
    case 'REQUEST_RECEIVED':
      return {
        ...base,
        title: 'New session request',
        body: `${s.student.displayName} asked for "${s.title}" on ${when(s)}.`,
        action: { label: 'Review Request', href: PAGES.approvals },
      };
    case 'APPROVAL_DEADLINE_APPROACHING':
      return {
        ...base,
        title: 'Request waiting for your answer',
        body: `${s.student.displayName}'s request for "${s.title}" on ${when(s)} expires soon if you do not answer it.`,
        action: { label: 'Review Request', href: PAGES.approvals },
      };
    case 'REQUEST_APPROVED':
      return {
        ...base,
        title: 'Request approved',
        body: `${s.tutor.displayName} approved "${s.title}" on ${when(s)}. Pay to confirm your booking.`,
        action: { label: 'Proceed to Payment', href: PAGES.session(s.id) },
      };
    case 'REQUEST_REJECTED':
      return {
        ...base,
        title: 'Request declined',
        body: `${s.tutor.displayName} declined "${s.title}": ${extra.reason ?? s.approvalNotes ?? ''}`.trim(),
        action: { label: 'Browse Mentors', href: PAGES.browseMentors },
      };
    case 'REQUEST_EXPIRED':
      return {
        ...base,
        title: 'Request expired',
        body: `The request "${s.title}" on ${when(s)} was not answered in time and has expired.`,
        action: { label: 'Browse Mentors', href: PAGES.browseMentors },
      };
    case 'BOOKING_CONFIRMED':
      return { ...base, title: 'Booking confirmed', body: `"${s.title}" with ${s.tutor.displayName} is booked for ${when(s)}.`, action: view };
    case 'PAYMENT_RECEIVED':
      return {
        ...base,
        title: 'Payment received',
        body: `${s.student.displayName} paid for "${s.title}". You earn ${formatMoney(splitRevenue(s.price).tutorShare)}.`,
        action: view,
      };
    case 'MEETING_LINK_NEEDED':
      return { ...base, title: 'Add a meeting link', body: `We could not create a Zoom meeting for "${s.title}" on ${when(s)}. Please add a meeting link.`, action: view };
    case 'SESSION_REMINDER':
      return { ...base, title: 'Session starts soon', body: `"${s.title}" starts at ${when(s)}.`, action: { label: 'Join Session', href: PAGES.session(s.id) } };
    case 'SESSION_CANCELLED':
      return { ...base, title: 'Session cancelled', body: `"${s.title}" on ${when(s)} was cancelled${extra.reason ? `: ${extra.reason}` : '.'}`, action: view };
    case 'REFUND_ISSUED':
      return { ...base, title: 'Refund issued', body: `${formatMoney(extra.refund ?? s.price)} for "${s.title}" is on its way back to you.`, action: view };
    case 'SESSION_RESCHEDULED': {
      const from = extra.previousScheduledAt ? ` from ${when({ scheduledAt: extra.previousScheduledAt })}` : '';
      return { ...base, title: 'Session rescheduled', body: `"${s.title}" was moved${from} to ${when(s)}.`, action: view };
    }
    case 'RECORDING_READY':
      return {
        ...base,
        title: 'Recording ready',
        body: `The recording of "${s.title}" on ${when(s)} is ready to watch.`,
        action: { label: 'View Recording', href: PAGES.session(s.id) },
      };
  }
};

/** The answer to a user's application to tutor; a payout account changed, a withdrawal settled. */
export const accountNotificationContent = (
  event: AccountNotificationEvent,
  extra: { reason?: string; amount?: Money; bankName?: string; accountNumberLast4?: string } = {},
): NotificationContent => {
  const wallet = { label: 'Open Wallet', href: PAGES.wallet };
  const account = extra.bankName ? `${extra.bankName} ••••${extra.accountNumberLast4 ?? ''}` : 'your bank account';
  const amount = extra.amount ? formatMoney(extra.amount) : 'Your withdrawal';
  switch (event) {
    case 'TUTOR_APPLICATION_APPROVED':
      return {
        event,
        title: 'You are now a tutor',
        body: 'Your application to tutor was approved and your profile is published. Sign in again to open the tutor pages.',
        action: { label: 'Open Tutor Dashboard', href: PAGES.tutorDashboard },
      };
    case 'TUTOR_APPLICATION_DECLINED':
      return {
        event,
        title: 'Tutor application declined',
        body: `Your application to tutor was declined${extra.reason ? `: ${extra.reason}` : '.'}`,
        action: { label: 'Browse Mentors', href: PAGES.browseMentors },
      };
    case 'PAYOUT_ACCOUNT_CHANGED':
      return {
        event,
        title: 'Payout account changed',
        body: `Withdrawals now go to ${account}. If you did not make this change, contact support at once.`,
        action: wallet,
      };
    case 'WITHDRAWAL_SUCCEEDED':
      return { event, title: 'Withdrawal paid', body: `${amount} was paid to ${account}.`, action: wallet };
    case 'WITHDRAWAL_FAILED':
      return {
        event,
        title: 'Withdrawal failed',
        body: `${amount} could not be paid to ${account}${extra.reason ? `: ${extra.reason}` : ''}. The money is back in your available balance.`,
        action: wallet,
      };
  }
};

/**
 * What an email of the notification needs beyond its text, as things stood when it was
 * stored (the session may change before the email goes): kept on the inbox item, never
 * shown in the inbox or pushed.
 */
export interface NotificationFacts {
  scheduledAt: string;
  previousScheduledAt?: string;
  reason?: string;
  refund?: Money;
  /** The session item's version then: a calendar invite's SEQUENCE, so each change supersedes the last. */
  version?: number;
  /** Which reminder this is, when one event is sent at several leads (e.g. `24h`, `15m`). */
  lead?: string;
}

/** What a WebSocket client receives when a notification is stored for its user. */
export interface NotificationFrame {
  type: 'notification';
  notification: Pick<Notification, 'id' | 'event' | 'title' | 'body' | 'sessionId' | 'action' | 'createdAt'>;
}

export const notificationFrame = (n: Notification): NotificationFrame => ({
  type: 'notification',
  notification: { id: n.id, event: n.event, title: n.title, body: n.body, sessionId: n.sessionId, action: n.action, createdAt: n.createdAt },
});
