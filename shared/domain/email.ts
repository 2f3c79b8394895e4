/**
 * Which notifications are also emailed, under which kind (what a user switches on or off),
 * and which kinds are about money and so always sent. Pure: no I/O.
 */
/** The kinds of email, as a user's preferences name them. */
export const EMAIL_KINDS = [
  'REQUEST_RECEIVED',
  'APPROVAL_DEADLINE_APPROACHING',
  'REQUEST_APPROVED',
  'REQUEST_REJECTED',
  'REQUEST_EXPIRED',
  'BOOKING_CONFIRMED',
  'SESSION_REMINDER',
  'SESSION_RESCHEDULED',
  'SESSION_CANCELLED',
  'REFUND_ISSUED',
  'MEETING_LINK_NEEDED',
  'RECORDING_READY',
  'TUTOR_APPLICATION_DECIDED',
  'PAYOUT_ACCOUNT_CHANGED',
  'WITHDRAWAL_SUCCEEDED',
  'WITHDRAWAL_FAILED',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/**
 * Transactional mail about money: the payment link and its deadline, the receipt of a paid
 * booking, a refund, a payout and a change of the account payouts go to. These cannot be
 * switched off (nor unsubscribed from): missing one costs the user a booking, leaves them
 * without proof of a payment, or hides a change of where their money goes.
 */
export const MONEY_KINDS = [
  'REQUEST_APPROVED',
  'BOOKING_CONFIRMED',
  'REFUND_ISSUED',
  'PAYOUT_ACCOUNT_CHANGED',
  'WITHDRAWAL_SUCCEEDED',
  'WITHDRAWAL_FAILED',
] as const satisfies readonly EmailKind[];
export type MoneyKind = (typeof MONEY_KINDS)[number];

export const OPTIONAL_KINDS = EMAIL_KINDS.filter((k): k is Exclude<EmailKind, MoneyKind> => !(MONEY_KINDS as readonly string[]).includes(k));
export type OptionalKind = (typeof OPTIONAL_KINDS)[number];

export const isOptionalKind = (kind: string): kind is OptionalKind => (OPTIONAL_KINDS as readonly string[]).includes(kind);

/**
 * The email kind of a stored notification, or null when it is not emailed. Events are matched
 * by name, so that producers outside the session lifecycle (tutor applications) need no entry
 * in NOTIFICATION_EVENTS here. The tutor's PAYMENT_RECEIVED is their booking confirmation
 * (the student's is BOOKING_CONFIRMED): both carry the calendar invite.
 */
export const emailKindOf = (event: string): EmailKind | null => {
  switch (event) {
    case 'PAYMENT_RECEIVED':
      return 'BOOKING_CONFIRMED';
    case 'TUTOR_APPLICATION_APPROVED':
    case 'TUTOR_APPLICATION_DECLINED':
      return 'TUTOR_APPLICATION_DECIDED';
    default:
      return (EMAIL_KINDS as readonly string[]).includes(event) ? (event as EmailKind) : null;
  }
};

/** A user's email settings: their time zone (IANA) and the optional kinds they switched off. */
export interface EmailPreferences {
  timeZone: string;
  /** Whether the zone was ever saved (by the user, or their browser at sign-up); false while it is the default. */
  timeZoneSet?: boolean;
  /** Every optional kind, true unless switched off. */
  email: Record<OptionalKind, boolean>;
}

export const DEFAULT_TIME_ZONE = 'UTC';

/** A zone the runtime's ICU knows: what times in emails are rendered in. */
export const isTimeZone = (zone: string): boolean => {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** What a user gets before saying anything: every kind, times in UTC. */
export const defaultPreferences = (timeZone: string = DEFAULT_TIME_ZONE): EmailPreferences => ({
  timeZone,
  email: Object.fromEntries(OPTIONAL_KINDS.map((k) => [k, true])) as Record<OptionalKind, boolean>,
});

/** Whether a user with these settings gets an email of this kind. Money kinds always go. */
export const wantsEmail = (prefs: EmailPreferences, kind: EmailKind): boolean => !isOptionalKind(kind) || prefs.email[kind];
