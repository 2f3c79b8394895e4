/**
 * Business metrics as CloudWatch embedded metrics (EMF lines in the function's log, no API
 * call). The middy chains publish what was counted at the end of each invocation, and
 * nothing at all when nothing was counted.
 *
 * POWERTOOLS_METRICS_NAMESPACE names the namespace (the stack sets `Mentorship/<stack name>`);
 * POWERTOOLS_METRICS_DISABLED=true (the local stack's and the tests' default) emits nothing.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME, type BusinessMetric } from './names';

export type { BusinessMetric } from './names';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'MentorshipBooking',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME,
});

/**
 * Count one occurrence (or `n`) of a business event in this invocation. With `dimensions`
 * (e.g. `{ mode: 'REQUEST' }`) it is emitted at once as a metric of its own, so the other
 * metrics keep the dimension set (`service` only) the alarms and the dashboard look for.
 */
export const count = (name: BusinessMetric, n = 1, dimensions?: Readonly<Record<string, string>>): void => {
  if (!dimensions) {
    metrics.addMetric(name, MetricUnit.Count, n);
    return;
  }
  const single = metrics.singleMetric();
  single.addDimensions({ ...dimensions });
  single.addMetric(name, MetricUnit.Count, n);
};
