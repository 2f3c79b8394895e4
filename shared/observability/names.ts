/**
 * Names shared by the code that logs and counts (logger.ts, metrics.ts) and the stack that
 * alarms and draws on them (infra/constructs/monitoring.ts). No Powertools import here: the
 * CDK app reads these too.
 */

/** The `service` key of every log line, and the `service` dimension of every metric. */
export const SERVICE_NAME = 'mentorship-booking';

/** The business metrics (Count), each with the dimension `service` only, unless noted. */
export const BUSINESS_METRICS = [
  /** Also with the dimension `mode`: INSTANT or REQUEST (and then only with it). */
  'BookingsCreated',
  'Approvals',
  'Rejections',
  'Expiries',
  'PaymentsConfirmed',
  'PaymentAmountMismatches',
  'RefundFailures',
  'ZoomFallbacks',
  'NotificationsPushed',
  'NotificationsGone',
  'EmailsSent',
  /** SES may or may not have taken the message (a timeout): never sent again, so at most one. */
  'EmailsUnknownOutcome',
  'EmailAddressesSuppressed',
  'WithdrawalsPaid',
  /** A withdrawal Paystack failed or reversed (the money went back to the tutor). */
  'WithdrawalFailures',
  /** A withdrawal still PENDING or PROCESSING a day after it was made. */
  'WithdrawalsStuck',
] as const;

export type BusinessMetric = (typeof BUSINESS_METRICS)[number];
