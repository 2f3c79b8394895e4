/**
 * Production readiness of the synthesized stack (bundling skipped): API Gateway throttling
 * and access logs, explicit memory and timeout on every function, Powertools' settings and
 * Lambda's JSON log format on every function, the alarm topic, the alarms (business ones on
 * the functions' embedded metrics), the dashboard, and what prod keeps.
 */
import { cdkApp } from '../test/support/cdk';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ROUTES } from '../shared/http/routes';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
import { STREAM_CONSUMERS } from '../shared/streams/consumers';
import { WS_ROUTES } from '../shared/ws/routes';
import { BOOKING_MODES, FUNNEL_METRICS, WEBHOOK_SIGNATURE_FAILURE_THRESHOLD } from './constructs/monitoring';
import { MentorshipStack, type MentorshipStackProps, STAGE_THROTTLE } from './stack';
import { templatesOf } from '../test/support/templates';

const synth = (stage: string, more: Partial<MentorshipStackProps> = {}, context: Record<string, unknown> = {}): Template => {
  const app = cdkApp(context);
  return templatesOf(new MentorshipStack(app, `Mentorship-${stage}`, { stage, ...more })).all;
};

/** Every function: the routes, the workflow steps, the WebSocket routes and authorizer, the stream consumers, the Cognito trigger, the SES events subscriber, the timeline's step. */
const FUNCTION_COUNT = ROUTES.length + WORKFLOW_STEPS.length + WS_ROUTES.length + 1 + STREAM_CONSUMERS.length + 3;
type Resources = Record<string, { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }>;

const dev = synth('dev');
const prod = synth('prod');

const topicRef = (t: Template): string => Object.keys(t.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('MonitoringAlarmTopic'))!;

describe('API Gateway limits and access logs', () => {
  const stage = (t: Template, name: string) => Object.values(t.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: name } }) as Resources)[0]!;

  it.each([
    ['dev', dev, STAGE_THROTTLE.default],
    ['prod', prod, STAGE_THROTTLE.prod],
  ])('throttles the HTTP API’s default stage and the WebSocket stage by stage (%s)', (_, t, throttle) => {
    for (const name of ['$default', 'live']) {
      expect(stage(t, name).Properties.DefaultRouteSettings).toMatchObject({
        ThrottlingRateLimit: throttle.rateLimit,
        ThrottlingBurstLimit: throttle.burstLimit,
      });
    }
  });

  it('sizes prod larger than dev: 500/1000 against 50/100', () => {
    expect(STAGE_THROTTLE).toEqual({ prod: { rateLimit: 500, burstLimit: 1000 }, default: { rateLimit: 50, burstLimit: 100 } });
  });

  it('takes the throttling from the props, and refuses a burst below the rate', () => {
    const t = synth('staging', { throttle: { rateLimit: 7, burstLimit: 9 } });
    expect(stage(t, '$default').Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 });
    expect(() => synth('staging', { throttle: { rateLimit: 10, burstLimit: 5 } })).toThrow(/burstLimit/);
  });

  it('logs every request of both APIs as JSON to a log group of their own, kept a month', () => {
    const groups = dev.findResources('AWS::Logs::LogGroup') as Resources;
    for (const name of ['$default', 'live']) {
      const settings = stage(dev, name).Properties.AccessLogSettings;
      const group = settings.DestinationArn['Fn::GetAtt'][0] as string;
      expect(groups[group]!.Properties.RetentionInDays).toBe(30);
      const line = JSON.parse(settings.Format.replace(/\$context\.status(?!")/, '401'));
      expect(line).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
    }
  });

  it('writes the HTTP status as a number, so metric filters can compare it', () => {
    expect(stage(dev, '$default').Properties.AccessLogSettings.Format).toContain('"status":$context.status,');
  });
});

describe('Functions', () => {
  it('give every function an explicit memory size and timeout', () => {
    const fns = Object.values(dev.findResources('AWS::Lambda::Function') as Resources);
    expect(fns).toHaveLength(FUNCTION_COUNT);
    for (const fn of fns) {
      expect(fn.Properties.MemorySize).toEqual(expect.any(Number));
      expect(fn.Properties.Timeout).toEqual(expect.any(Number));
    }
  });

  it('give every function Powertools’ service, metrics namespace and log level, and Lambda’s JSON log format at the same level', () => {
    for (const fn of Object.values(dev.findResources('AWS::Lambda::Function') as Resources)) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'mentorship-booking',
        POWERTOOLS_METRICS_NAMESPACE: 'Mentorship/Mentorship-dev',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'INFO' });
    }
  });

  it('logs at DEBUG on a dev stage when asked (context logLevel), never in prod', () => {
    const debug = synth('dev', {}, { logLevel: 'debug' });
    for (const fn of Object.values(debug.findResources('AWS::Lambda::Function') as Resources)) {
      expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('DEBUG');
      expect(fn.Properties.LoggingConfig.ApplicationLogLevel).toBe('DEBUG');
    }
    expect(() => synth('prod', {}, { logLevel: 'DEBUG' })).toThrow(/logLevel.*INFO in prod/);
    // Below INFO, Lambda would drop the EMF metric lines (which have no level).
    expect(() => synth('dev', {}, { logLevel: 'WARN' })).toThrow(/logLevel/);
  });

  it('resolves source maps at run time only when asked (context sourceMaps): they cost every cold start', () => {
    const functions = (t: Template) => Object.values(t.findResources('AWS::Lambda::Function') as Resources);
    const withNode = (t: Template) => functions(t).filter((fn) => fn.Properties.Environment?.Variables?.NODE_OPTIONS !== undefined);
    expect(withNode(dev)).toEqual([]);
    expect(withNode(prod)).toEqual([]);
    const maps = synth('dev', {}, { sourceMaps: 'true' });
    for (const fn of functions(maps).filter((f) => f.Properties.Runtime?.startsWith('nodejs'))) {
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
    expect(() => synth('dev', {}, { sourceMaps: 'yes' })).toThrow(/sourceMaps/);
  });
});

describe('Alarms', () => {
  const alarms = Object.values(dev.findResources('AWS::CloudWatch::Alarm') as Resources);
  const alarmOn = (metricName: string, namespace: string) => alarms.filter((a) => a.Properties.MetricName === metricName && a.Properties.Namespace === namespace);

  it('creates one SNS topic for the alarms, refusing requests without TLS, and outputs its ARN', () => {
    // The other topic carries SES's bounces and complaints (infra/constructs/email.ts).
    dev.resourceCountIs('AWS::SNS::Topic', 2);
    dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
    dev.hasOutput('AlarmTopicArn', { Value: { Ref: topicRef(dev) } });
  });

  it('sends every alarm to the topic', () => {
    // 3 on the state machine, 7 business ones (6 + PaymentUnverified), one per stream
    // consumer's dead-letter queue (infra/streams.test.ts), the SES events' dead-letter queue and the timeline schedules'
    expect(alarms.length).toBe(FUNCTION_COUNT + 3 + 7 + STREAM_CONSUMERS.length + 1 + 1);
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: topicRef(dev) }]);
  });

  it('alarms on each function’s Errors + Throttles: sum ≥ 1 over 5 minutes', () => {
    const fnIds = Object.keys(dev.findResources('AWS::Lambda::Function')).sort();
    const mathAlarms = alarms.filter((a) => a.Properties.Metrics?.some((m: any) => m.Expression === 'errors + throttles'));
    const watched = (metric: string) =>
      mathAlarms
        .map((a) => a.Properties.Metrics.find((m: any) => m.MetricStat?.Metric.MetricName === metric))
        .map((m: any) => {
          expect(m.MetricStat).toMatchObject({ Stat: 'Sum', Period: 300 });
          expect(m.MetricStat.Metric.Namespace).toBe('AWS/Lambda');
          return m.MetricStat.Metric.Dimensions[0].Value.Ref as string;
        })
        .sort();
    expect(watched('Errors')).toEqual(fnIds);
    expect(watched('Throttles')).toEqual(fnIds);
    for (const a of mathAlarms) expect(a.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
  });

  it.each(['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])('alarms on the state machine’s %s ≥ 1', (metric) => {
    const smId = Object.keys(dev.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metric,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: smId } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  const filterOn = (logGroup: (t: Template) => string, metricName: string) => {
    const filters = Object.values(dev.findResources('AWS::Logs::MetricFilter') as Resources).filter((f) => f.Properties.MetricTransformations[0].MetricName === metricName);
    expect(filters).toHaveLength(1);
    expect(filters[0]!.Properties.LogGroupName).toEqual({ Ref: logGroup(dev) });
    return filters[0]!.Properties.FilterPattern as string;
  };
  const logGroupOf = (stageName: string) => (t: Template) =>
    (Object.values(t.findResources('AWS::ApiGatewayV2::Stage', { Properties: { StageName: stageName } }))[0] as any).Properties.AccessLogSettings.DestinationArn[
      'Fn::GetAtt'
    ][0] as string;
  const businessAlarm = (metricName: string) => {
    const on = alarmOn(metricName, 'Mentorship/Mentorship-dev');
    expect(on).toHaveLength(1);
    return on[0]!.Properties;
  };
  /** The dimensions Powertools puts on a business metric (shared/observability/metrics.ts). */
  const EMF_DIMENSIONS = [{ Name: 'service', Value: 'mentorship-booking' }];

  it.each(['PaymentAmountMismatches', 'RefundFailures', 'ZoomFallbacks', 'WithdrawalFailures', 'WithdrawalsStuck'])(
    'alarms on any %s, the functions’ embedded metric (sum ≥ 1 over 5 minutes)',
    (metric) => {
      expect(businessAlarm(metric)).toMatchObject({ Dimensions: EMF_DIMENSIONS, Threshold: 1, Statistic: 'Sum', Period: 300, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    },
  );

  it('needs no log metric filter but the webhook signature failures’ and the unverified payments’', () => {
    const names = Object.values(dev.findResources('AWS::Logs::MetricFilter') as Resources).map((f) => f.Properties.MetricTransformations[0].MetricName);
    expect(names.sort()).toEqual(['PaymentsUnverified', 'WebhookSignatureFailures']);
  });

  it('alarms on any booking held because Paystack could not be asked whether it was paid: an execution ending in PaymentUnverified', () => {
    const workflowLogGroup = (t: Template) =>
      (Object.values(t.findResources('AWS::StepFunctions::StateMachine'))[0] as any).Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn[
        'Fn::GetAtt'
      ][0] as string;
    expect(filterOn(workflowLogGroup, 'PaymentsUnverified')).toBe('{ ($.type = "ExecutionFailed") && ($.details.error = "PaymentUnverified") }');
    expect(businessAlarm('PaymentsUnverified')).toMatchObject({ Threshold: 1, Statistic: 'Sum', Period: 300, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(businessAlarm('PaymentsUnverified').AlarmDescription).toMatch(/Paystack could not be asked/);
  });

  it('alarms on webhook signature failures: 401s of the webhook route in the access log, ≥ 10 in 5 min', () => {
    const webhook = ROUTES.find((r) => r.handler === 'paystackWebhook')!;
    expect(filterOn(logGroupOf('$default'), 'WebhookSignatureFailures')).toBe(`{ ($.routeKey = "${webhook.method} ${webhook.path}") && ($.status = 401) }`);
    expect(WEBHOOK_SIGNATURE_FAILURE_THRESHOLD).toBe(10);
    expect(businessAlarm('WebhookSignatureFailures')).toMatchObject({ Threshold: 10, Statistic: 'Sum', Period: 300 });
  });
});

describe('Dashboard', () => {
  const body = JSON.stringify(Object.values(dev.findResources('AWS::CloudWatch::Dashboard') as Resources)[0]!.Properties.DashboardBody);

  it('has one dashboard with the booking funnel from the embedded metrics and the HTTP API’s p50 and p99 latency', () => {
    dev.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(body).toContain('Booking funnel');
    expect(body).toContain('ExecutionsStarted');
    // Each as Powertools emits it: namespace, name, dimension service (BookingsCreated: and mode).
    for (const metric of FUNNEL_METRICS.filter((m) => m !== 'BookingsCreated')) {
      expect(body).toMatch(new RegExp(`Mentorship/Mentorship-dev\\W+${metric}\\W+service\\W+mentorship-booking\\W`));
    }
    for (const mode of BOOKING_MODES) expect(body).toMatch(new RegExp(`Mentorship/Mentorship-dev\\W+BookingsCreated\\W+mode\\W+${mode}\\W+service\\W+mentorship-booking\\W`));
    for (const metric of ['PaymentAmountMismatches', 'RefundFailures', 'ZoomFallbacks', 'NotificationsPushed', 'NotificationsGone']) expect(body).toContain(metric);
    expect(body).toMatch(/"Latency\W+ApiId\W+\{\W+Ref\W+ApiHttpApi\w+\W+label\W+p50\W+stat\W+p50\W/);
    expect(body).toMatch(/"Latency\W+ApiId\W+\{\W+Ref\W+ApiHttpApi\w+\W+label\W+p99\W+stat\W+p99\W/);
  });
});

describe('What each stage keeps', () => {
  it('retains every log group in prod', () => {
    const groups = Object.values(prod.findResources('AWS::Logs::LogGroup') as Resources);
    expect(groups).toHaveLength(FUNCTION_COUNT + 3);
    for (const g of groups) expect(g.DeletionPolicy).toBe('Retain');
  });

  it('deletes every log group with a dev stack', () => {
    for (const g of Object.values(dev.findResources('AWS::Logs::LogGroup') as Resources)) expect(g.DeletionPolicy).toBe('Delete');
  });

  it('retains the table always, and the secrets in prod only', () => {
    for (const t of [dev, prod]) t.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    // Paystack's, Zoom's and the key of the email links.
    prod.resourcePropertiesCountIs('AWS::SecretsManager::Secret', {}, 3);
    for (const s of Object.values(prod.findResources('AWS::SecretsManager::Secret') as Resources)) expect(s.DeletionPolicy).toBe('Retain');
    for (const s of Object.values(dev.findResources('AWS::SecretsManager::Secret') as Resources)) expect(s.DeletionPolicy).toBe('Delete');
  });
});
