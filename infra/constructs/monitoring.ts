import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, Dashboard, GraphWidget, type IMetric, MathExpression, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type IFilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SERVICE_NAME, type BusinessMetric } from '../../shared/observability/names';
import { PAYMENT_UNVERIFIED } from '../../shared/workflow/definition';
import { metricsNamespace } from './booking-function';

export interface MonitoringProps {
  /** Every function of the stack, by a stable name (e.g. `api-createSession`, `step-confirmBooking`). */
  functions: Readonly<Record<string, IFunction>>;
  stateMachine: StateMachine;
  httpApi: HttpApi;
  /** The HTTP API's access log (JSON, `status` a number; constructs/booking-api.ts). */
  httpAccessLogs: ILogGroup;
  /** The webhook's route key in the access log, e.g. `POST /webhooks/paystack`. */
  webhookRouteKey: string;
  /** The state machine's execution log (every event; constructs/booking-workflow.ts). */
  workflowLogs: ILogGroup;
}

/** The booking funnel on the dashboard, in funnel order (BookingsCreated once per mode). */
export const FUNNEL_METRICS = ['BookingsCreated', 'Approvals', 'Rejections', 'Expiries', 'PaymentsConfirmed'] as const satisfies readonly BusinessMetric[];
export const BOOKING_MODES = ['REQUEST', 'INSTANT'] as const;

/** Signature failures (401 on the webhook) tolerated in 5 minutes before alarming: a few are probes. */
export const WEBHOOK_SIGNATURE_FAILURE_THRESHOLD = 10;

const FIVE_MINUTES = Duration.minutes(5);

/**
 * Operations: an SNS topic every alarm notifies, the alarms, and a dashboard.
 *
 * Alarms (sum over 5 minutes, missing data is OK):
 * - each function's Errors + Throttles ≥ 1 (one alarm per function, a metric-math sum, in the
 *   function's own stack: alarmScopeOf);
 * - the state machine's ExecutionsFailed, ExecutionsTimedOut, ExecutionsAborted ≥ 1;
 * - business signals, from the functions' embedded metrics (Powertools EMF: namespace
 *   `Mentorship/<stack name>`, dimension `service`; shared/observability/metrics.ts): a
 *   payment amount mismatch (PaymentAmountMismatches ≥ 1), a refund that failed at Paystack
 *   (RefundFailures ≥ 1), a paid booking without a Zoom meeting (ZoomFallbacks ≥ 1), a
 *   withdrawal Paystack failed or reversed (WithdrawalFailures ≥ 1), a withdrawal unsettled a
 *   day after it was made (WithdrawalsStuck ≥ 1: its day-old watch item expires by TTL and
 *   the requestRefunds consumer looks at it; no scheduled function, no new resource but the
 *   alarm; TTL deletes within a day or two of expiry, so the alarm comes one to three days
 *   after the withdrawal);
 * - webhook signature failures, from a metric filter on the HTTP API access log (the function
 *   answers 401 without counting: `routeKey` = the webhook's and `status` = 401,
 *   ≥ WEBHOOK_SIGNATURE_FAILURE_THRESHOLD);
 * - a booking held because Paystack could not be asked whether it was paid, from a metric
 *   filter on the workflow's execution log (an ExecutionFailed event whose error is
 *   PaymentUnverified, ≥ 1): ExecutionsFailed fires too, this one says what to do.
 *
 * The dashboard draws the booking funnel from the same embedded metrics (FUNNEL_METRICS).
 *
 * The topic enforces TLS (SNS3). It is not KMS-encrypted: CloudWatch alarms cannot publish to a
 * topic encrypted with the AWS-managed key (aws/sns), whose key policy the account cannot
 * change; a customer-managed key would cost $1/month per stage for alarm notifications.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  /** Namespace of the embedded metrics and of the log metric filter's: `Mentorship/<stack name>`. */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.namespace = metricsNamespace(this);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `${Stack.of(this).stackName} alarms`, enforceSSL: true });
    const action = new SnsAction(this.topic);

    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string, scope: Construct = this): Alarm => {
      const a = new Alarm(scope, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      const pascal = name.replace(/(^|[^A-Za-z0-9])([a-zA-Z0-9])/g, (_, __, c: string) => c.toUpperCase());
      // One alarm for both: two per function would pass CloudFormation's 500 resources a stack.
      const failures = new MathExpression({
        expression: 'errors + throttles',
        usingMetrics: { errors: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), throttles: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }) },
        label: `${name} errors + throttles`,
        period: FIVE_MINUTES,
      });
      alarm(`${pascal}Failures`, failures, 1, `${name}: the function failed or was throttled (Errors + Throttles ≥ 1 in 5 min)`, this.alarmScopeOf(fn));
    }

    const sm = props.stateMachine;
    alarm('ExecutionsFailed', sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A booking workflow execution failed');
    alarm('ExecutionsTimedOut', sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A booking workflow execution timed out');
    alarm('ExecutionsAborted', sm.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, 'A booking workflow execution was aborted');

    const filtered = (filterId: string, logGroup: ILogGroup, filterPattern: IFilterPattern): Metric =>
      new MetricFilter(this, filterId, {
        logGroup,
        filterPattern,
        metricNamespace: this.namespace,
        metricName: filterId,
        metricValue: '1',
      }).metric({ period: FIVE_MINUTES, statistic: 'Sum' });

    /** An embedded business metric, as Powertools emits it. */
    const business = (metricName: BusinessMetric, period: Duration, label?: string, dimensions: Record<string, string> = {}): Metric =>
      new Metric({
        namespace: this.namespace,
        metricName,
        dimensionsMap: { service: SERVICE_NAME, ...dimensions },
        statistic: 'Sum',
        period,
        ...(label ? { label } : {}),
      });

    alarm(
      'PaymentAmountMismatchAlarm',
      business('PaymentAmountMismatches', FIVE_MINUTES),
      1,
      'A Paystack charge did not match the booking’s amount (the webhook logs "Payment amount mismatch" with the reference); it was not credited',
    );
    alarm(
      'RefundFailedAlarm',
      business('RefundFailures', FIVE_MINUTES),
      1,
      'Paystack reported a refund as failed (the webhook logs "Refund failed at Paystack" with the reference); refund by hand',
    );
    const signatureFailures = filtered(
      'WebhookSignatureFailures',
      props.httpAccessLogs,
      FilterPattern.all(FilterPattern.stringValue('$.routeKey', '=', props.webhookRouteKey), FilterPattern.numberValue('$.status', '=', 401)),
    );
    alarm(
      'WebhookSignatureFailuresAlarm',
      signatureFailures,
      WEBHOOK_SIGNATURE_FAILURE_THRESHOLD,
      `The Paystack webhook refused ≥ ${WEBHOOK_SIGNATURE_FAILURE_THRESHOLD} requests in 5 min (bad or missing x-paystack-signature): a wrong secret key, or someone probing`,
    );
    const paymentsUnverified = filtered(
      'PaymentsUnverified',
      props.workflowLogs,
      FilterPattern.all(FilterPattern.stringValue('$.type', '=', 'ExecutionFailed'), FilterPattern.stringValue('$.details.error', '=', PAYMENT_UNVERIFIED)),
    );
    alarm(
      'PaymentUnverifiedAlarm',
      paymentsUnverified,
      1,
      'A booking was to be released unpaid (payment window over, or a failed step) but Paystack could not be asked whether it was paid: its slot is kept and its execution ended in PaymentUnverified. Look its payment reference up in Paystack, then cancel it as an admin: a payment our records hold is refunded by the cancellation, one they do not from Paystack’s dashboard',
    );
    alarm(
      'WithdrawalFailedAlarm',
      business('WithdrawalFailures', FIVE_MINUTES),
      1,
      'Paystack failed or reversed a withdrawal’s transfer (logged "Withdrawal failed" with the withdrawal id): the money went back to the tutor’s wallet; a few a day are bank problems, many at once a Paystack balance or account problem',
    );
    alarm(
      'WithdrawalStuckAlarm',
      business('WithdrawalsStuck', FIVE_MINUTES),
      1,
      'A withdrawal is still PENDING or PROCESSING a day after it was made (logged "Withdrawal unsettled a day after it was made"): its money is held. Look its reference up in Paystack (Verify Transfer), see GET /admin/withdrawals?status=PENDING (attempts, lastError)',
    );
    alarm(
      'MeetingFallbackAlarm',
      business('ZoomFallbacks', FIVE_MINUTES),
      1,
      'A paid booking got no Zoom meeting (the MeetingFallback step ran): the tutor is asked for a link; check the Zoom secret and quotas',
    );

    const HOUR = Duration.hours(1);
    const funnel = FUNNEL_METRICS.flatMap((name) =>
      name === 'BookingsCreated' ? BOOKING_MODES.map((mode) => business(name, HOUR, `Booked (${mode})`, { mode })) : [business(name, HOUR, name)],
    );
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      widgets: [
        [
          new GraphWidget({
            title: 'Booking funnel (per hour)',
            left: funnel,
            width: 12,
          }),
          new GraphWidget({
            title: 'HTTP API latency',
            left: [
              props.httpApi.metricLatency({ statistic: 'p50', label: 'p50', period: FIVE_MINUTES }),
              props.httpApi.metricLatency({ statistic: 'p99', label: 'p99', period: FIVE_MINUTES }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Workflow executions',
            left: [
              sm.metricStarted({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Started' }),
              sm.metricSucceeded({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Succeeded' }),
              sm.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Failed' }),
              sm.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Timed out' }),
              sm.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum', label: 'Aborted' }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'HTTP API errors',
            left: [
              props.httpApi.metricClientError({ period: FIVE_MINUTES, statistic: 'Sum', label: '4xx' }),
              props.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum', label: '5xx' }),
            ],
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Payment, refund and meeting problems (per 5 min)',
            left: [
              business('PaymentAmountMismatches', FIVE_MINUTES, 'Amount mismatches'),
              business('RefundFailures', FIVE_MINUTES, 'Refunds failed'),
              business('ZoomFallbacks', FIVE_MINUTES, 'Zoom fallbacks'),
              business('WithdrawalFailures', FIVE_MINUTES, 'Withdrawals failed or reversed'),
              business('WithdrawalsStuck', FIVE_MINUTES, 'Withdrawals unsettled after a day'),
              signatureFailures.with({ label: 'Webhook signature failures' }),
              paymentsUnverified.with({ label: 'Bookings held, payment unverified' }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Notifications pushed (per hour)',
            left: [business('NotificationsPushed', HOUR, 'Pushed'), business('NotificationsGone', HOUR, 'Connection gone')],
            width: 12,
          }),
        ],
      ],
    });
  }

  /**
   * Where a function's alarm goes: beside the function, in a `Monitoring` construct of its own
   * stack when that is a nested stack (the HTTP route functions, constructs/booking-api.ts), so
   * that the parent template does not grow with the routes and the nested one only needs the
   * topic's ARN from it.
   */
  private alarmScopeOf(fn: IFunction): Construct {
    const stack = Stack.of(fn);
    if (stack === Stack.of(this)) return this;
    const existing = stack.node.tryFindChild(this.node.id);
    return existing instanceof Construct ? existing : new Construct(stack, this.node.id);
  }
}
