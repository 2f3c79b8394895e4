import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, type IFilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  /** Every function of the stack, by a stable name (e.g. `api-createSession`, `step-createMeeting`). */
  functions: Readonly<Record<string, IFunction>>;
  stateMachine: StateMachine;
  /** The state machine's execution log (level ALL): one JSON event per state entered and exited. */
  workflowLogs: ILogGroup;
  httpApi: HttpApi;
  /** The HTTP API's access log (JSON, `status` a number; constructs/booking-api.ts). */
  httpAccessLogs: ILogGroup;
  /** The Paystack webhook function's log, where payments.ts logs mismatches and failed refunds. */
  webhookLogs: ILogGroup;
  /** The webhook's route key in the access log, e.g. `POST /webhooks/paystack`. */
  webhookRouteKey: string;
}

/** The booking funnel: the states whose entries the dashboard counts, in funnel order. */
export const FUNNEL_STATES = ['PrepareApproval', 'AwaitPayment', 'ConfirmBooking', 'ExpireRequest', 'CancelUnpaid'] as const;

/** Signature failures (401 on the webhook) tolerated in 5 minutes before alarming: a few are probes. */
export const WEBHOOK_SIGNATURE_FAILURE_THRESHOLD = 10;

const FIVE_MINUTES = Duration.minutes(5);

/** `{ $.type = "*StateEntered" && $.details.name = "<state>" }`: an execution entered `state`. */
const stateEntered = (state: string): IFilterPattern =>
  FilterPattern.all(FilterPattern.stringValue('$.type', '=', '*StateEntered'), FilterPattern.stringValue('$.details.name', '=', state));

/**
 * Operations: an SNS topic every alarm notifies, the alarms, and a dashboard.
 *
 * Alarms (sum over 5 minutes, missing data is OK):
 * - each function's Errors and Throttles ≥ 1;
 * - the state machine's ExecutionsFailed, ExecutionsTimedOut, ExecutionsAborted ≥ 1;
 * - business signals from log metric filters: a payment amount mismatch (≥ 1), a refund that
 *   failed at Paystack (≥ 1), both logged by the webhook's function; webhook signature
 *   failures, counted in the HTTP API access log (the function answers 401 without logging:
 *   `routeKey` = the webhook's and `status` = 401, ≥ WEBHOOK_SIGNATURE_FAILURE_THRESHOLD);
 *   Zoom fallbacks, counted in the state machine's log (MeetingFallback entered, ≥ 1).
 *
 * The two webhook messages are matched as phrases (`"Payment amount mismatch"`), not as
 * `{ $.message = … }`: the functions log JSON through console.error in Lambda's text log
 * format, so each event is `<time>\t<request id>\tERROR\t{…}`, which is not a JSON event.
 *
 * The topic enforces TLS (SNS3). It is not KMS-encrypted: CloudWatch alarms cannot publish to a
 * topic encrypted with the AWS-managed key (aws/sns), whose key policy the account cannot
 * change; a customer-managed key would cost $1/month per stage for alarm notifications.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  /** Namespace of the log metric filters' metrics: `Mentorship/<stack name>`. */
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.namespace = `Mentorship/${Stack.of(this).stackName}`;
    this.topic = new Topic(this, 'AlarmTopic', { displayName: `${Stack.of(this).stackName} alarms`, enforceSSL: true });
    const action = new SnsAction(this.topic);

    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string): Alarm => {
      const a = new Alarm(this, alarmId, {
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
      alarm(`${pascal}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${name}: the function failed (Errors ≥ 1 in 5 min)`);
      alarm(`${pascal}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${name}: invocations were throttled (Throttles ≥ 1 in 5 min)`);
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

    alarm(
      'PaymentAmountMismatchAlarm',
      filtered('PaymentAmountMismatch', props.webhookLogs, FilterPattern.literal('"Payment amount mismatch"')),
      1,
      'A Paystack charge did not match the booking’s amount (logged by the webhook as "Payment amount mismatch")',
    );
    alarm(
      'RefundFailedAlarm',
      filtered('RefundFailed', props.webhookLogs, FilterPattern.literal('"Refund failed at Paystack"')),
      1,
      'Paystack reported a refund as failed (logged by the webhook as "Refund failed at Paystack"); refund by hand',
    );
    alarm(
      'WebhookSignatureFailuresAlarm',
      filtered(
        'WebhookSignatureFailures',
        props.httpAccessLogs,
        FilterPattern.all(FilterPattern.stringValue('$.routeKey', '=', props.webhookRouteKey), FilterPattern.numberValue('$.status', '=', 401)),
      ),
      WEBHOOK_SIGNATURE_FAILURE_THRESHOLD,
      `The Paystack webhook refused ≥ ${WEBHOOK_SIGNATURE_FAILURE_THRESHOLD} requests in 5 min (bad or missing x-paystack-signature): a wrong secret key, or someone probing`,
    );
    alarm(
      'MeetingFallbackAlarm',
      filtered('MeetingFallbacks', props.workflowLogs, stateEntered('MeetingFallback')),
      1,
      'A paid booking got no Zoom meeting (MeetingFallback entered): the tutor is asked for a link; check the Zoom secret and quotas',
    );

    const funnel = FUNNEL_STATES.map((state) =>
      filtered(`Entered${state}`, props.workflowLogs, stateEntered(state)).with({ label: state, period: Duration.hours(1) }),
    );
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      widgets: [
        [
          new GraphWidget({
            title: 'Booking funnel (per hour)',
            left: [sm.metricStarted({ period: Duration.hours(1), statistic: 'Sum', label: 'Booked (executions started)' }), ...funnel],
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
      ],
    });
  }
}
