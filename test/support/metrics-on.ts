/**
 * Import this FIRST in a test file that checks the metrics: Powertools Metrics reads
 * POWERTOOLS_METRICS_DISABLED (true for tests, test/support/env.ts) when
 * shared/observability/metrics.ts is first imported.
 */
process.env.POWERTOOLS_METRICS_DISABLED = 'false';
