/**
 * Business metrics as CloudWatch embedded metrics (EMF lines in the function's log, no API
 * call). Handlers publish what was counted at the end of each invocation.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'MentorshipBooking',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mentorship-booking',
});

export type BusinessMetric =
  | 'BookingsCreated'
  | 'Approvals'
  | 'Rejections'
  | 'Expiries'
  | 'PaymentsConfirmed'
  | 'PaymentAmountMismatches'
  | 'ZoomFallbacks'
  | 'NotificationsPushed'
  | 'NotificationsGone';

/** Count one occurrence (or `n`) of a business event in this invocation. */
export const count = (name: BusinessMetric, n = 1): void => {
  metrics.addMetric(name, MetricUnit.Count, n);
};
