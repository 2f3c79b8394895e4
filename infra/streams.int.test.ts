/**
 * The table stream in the synthesized template: the stream on the table, one filtered event
 * source mapping per consumer (the filters of shared/streams/consumers.ts), retried record by
 * record with an SQS dead-letter queue and an alarm on it, and each consumer's permissions
 * and nothing more. Bundling is skipped.
 */
import { cdkApp } from '../test/support/cdk';
import { ENV } from '../shared/config';
import { TABLE } from '../shared/data/table';
import { STREAM_CONSUMER_DEFS, STREAM_CONSUMERS } from '../shared/streams/consumers';
import { WS_ENV } from '../shared/ws/config';
import { MentorshipStack } from './stack';
import { templatesOf } from '../test/support/templates';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const app = cdkApp();
const template = templatesOf(new MentorshipStack(app, 'Mentorship-dev', { stage: 'dev' })).all;
const resources = template.toJSON().Resources as Resources;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

const tableId = ofType('AWS::DynamoDB::Table')[0]![0];
const stateMachineId = ofType('AWS::StepFunctions::StateMachine')[0]![0];
const topicId = ofType('AWS::SNS::Topic').find(([id]) => id.startsWith('MonitoringAlarmTopic'))![0];
const functionOf = (consumer: string): string => {
  const ids = ofType('AWS::Lambda::Function').filter(([, r]) => r.Properties.Description === `Table stream: ${consumer}`);
  expect(ids).toHaveLength(1);
  return ids[0]![0];
};
const mappingOf = (consumer: string) => {
  const fnId = functionOf(consumer);
  const found = ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) => r.Properties.FunctionName.Ref === fnId);
  expect(found).toHaveLength(1);
  return found[0]![1].Properties;
};
/** Every statement of the policies attached to the function's role. */
const statementsOf = (fnId: string): Statement[] => {
  const role = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
};
const actionsOf = (fnId: string): string[] =>
  statementsOf(fnId)
    .flatMap((s) => [s.Action].flat())
    .sort();
const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];
const XRAY = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

describe('The table stream', () => {
  it('is on the table, with the new image of each item (TABLE.streamViewType)', () => {
    expect(resources[tableId]!.Properties.StreamSpecification).toEqual({ StreamViewType: TABLE.streamViewType });
    expect(TABLE.streamViewType).toBe('NEW_IMAGE');
  });

  it('has one function and one mapping per consumer, and no other mapping', () => {
    expect(ofType('AWS::Lambda::EventSourceMapping')).toHaveLength(STREAM_CONSUMERS.length);
    for (const c of STREAM_CONSUMERS) expect(mappingOf(c).EventSourceArn).toEqual({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
  });

  it.each(STREAM_CONSUMERS)('filters %s’s records with the patterns of shared/streams/consumers.ts', (consumer) => {
    const patterns = (mappingOf(consumer).FilterCriteria.Filters as { Pattern: string }[]).map((f) => JSON.parse(f.Pattern));
    expect(patterns).toEqual(STREAM_CONSUMER_DEFS[consumer].filters);
  });

  it.each(STREAM_CONSUMERS)('retries %s’s failed records alone, from the oldest record, then sends them to an encrypted TLS-only queue', (consumer) => {
    const m = mappingOf(consumer);
    expect(m).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_CONSUMER_DEFS[consumer].batchSize,
      MaximumRetryAttempts: STREAM_CONSUMER_DEFS[consumer].retryAttempts,
      MaximumRecordAgeInSeconds: STREAM_CONSUMER_DEFS[consumer].maxRecordAgeSeconds,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const queueId = m.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    expect(resources[queueId]!.Type).toBe('AWS::SQS::Queue');
    expect(resources[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => (p.Properties.Queues as { Ref: string }[]).some((q) => q.Ref === queueId));
    expect(policy![1].Properties.PolicyDocument.Statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
    );
  });

  it.each(STREAM_CONSUMERS)('alarms as soon as %s’s dead-letter queue holds a message, notifying the alarm topic', (consumer) => {
    const queueId = mappingOf(consumer).DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    const alarms = ofType('AWS::CloudWatch::Alarm').filter(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(`"${queueId}"`));
    expect(alarms).toHaveLength(1);
    expect(alarms[0]![1].Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('lets startWorkflow start executions of the state machine, answer their tasks and stop them, read a session, keep the timeline’s schedules, read the stream and fill its queue, and nothing else', () => {
    const fn = functionOf('startWorkflow');
    const queueId = mappingOf('startWorkflow').DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
    const statements = statementsOf(fn);
    const answers = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess', 'states:StopExecution'];
    const schedules = ['iam:PassRole', 'scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'];
    expect(actionsOf(fn)).toEqual(
      [...STREAM_READ, 'dynamodb:GetItem', ...schedules, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', 'states:StartExecution', ...answers, ...XRAY].sort(),
    );
    expect(statements.find((s) => [s.Action].flat().includes('states:StartExecution'))!.Resource).toEqual({ Ref: stateMachineId });
    for (const s of statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')))) expect(s.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    for (const s of statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('scheduler:')))) expect(JSON.stringify(s.Resource)).toMatch(/:schedule\/.*\/\*"/);
    const vars = resources[fn]!.Properties.Environment.Variables;
    expect(vars[ENV.stateMachineArn]).toEqual({ Ref: stateMachineId });
    expect(vars[ENV.tableName]).toEqual({ Ref: tableId });
    for (const name of [ENV.timelineScheduleGroup, ENV.timelineTargetArn, ENV.timelineSchedulerRoleArn, ENV.timelineDlqArn]) expect(vars[name]).toEqual(expect.anything());
  });

  it('lets pushNotifications Query the table, delete items and post to connections, read the stream and fill its queue, and nothing else', () => {
    const fn = functionOf('pushNotifications');
    expect(actionsOf(fn)).toEqual(
      [...STREAM_READ, 'dynamodb:DeleteItem', 'dynamodb:Query', 'execute-api:ManageConnections', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage', ...XRAY].sort(),
    );
    const vars = resources[fn]!.Properties.Environment.Variables;
    expect(vars[ENV.tableName]).toEqual({ Ref: tableId });
    expect(vars[WS_ENV.websocketManagementUrl]).toEqual(expect.anything());
    expect(vars[ENV.stateMachineArn]).toBeUndefined();
  });

  it('lets requestRefunds read, query, update and put table items and read the Paystack and Zoom secrets, read the stream and fill its queue, and nothing else', () => {
    const fn = functionOf('requestRefunds');
    expect(actionsOf(fn)).toEqual(
      [
        ...STREAM_READ,
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        ...XRAY,
      ].sort(),
    );
    const secretOf = (template: string) => ofType('AWS::SecretsManager::Secret').find(([, r]) => r.Properties.GenerateSecretString.SecretStringTemplate === template)![0];
    const paystackSecret = secretOf('{"secretKey":""}');
    const zoomSecret = secretOf('{"accountId":"","clientId":"","clientSecret":"","webhookSecretToken":""}');
    const read = statementsOf(fn)
      .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => [s.Resource].flat());
    expect(read).toHaveLength(2);
    expect(read).toEqual(expect.arrayContaining([{ Ref: paystackSecret }, { Ref: zoomSecret }]));
    const vars = resources[fn]!.Properties.Environment.Variables;
    expect(vars[ENV.tableName]).toEqual({ Ref: tableId });
    expect(vars[ENV.paystackSecretArn]).toEqual({ Ref: paystackSecret });
    expect(vars[ENV.zoomSecretArn]).toEqual({ Ref: zoomSecret });
    expect(vars[ENV.stateMachineArn]).toBeUndefined();
  });

  it('lets emailNotifications read and write table items and send from the SES identity with its configuration set, read the link key, read the stream and fill its queue, and nothing else', () => {
    const fn = functionOf('emailNotifications');
    expect(actionsOf(fn)).toEqual(
      [
        ...STREAM_READ,
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'ses:SendEmail',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        ...XRAY,
      ].sort(),
    );
    const identityId = ofType('AWS::SES::EmailIdentity')[0]![0];
    const configurationSetId = ofType('AWS::SES::ConfigurationSet')[0]![0];
    const send = statementsOf(fn).find((s) => s.Action === 'ses:SendEmail')!;
    const resourcesOfSend = JSON.stringify(send.Resource);
    expect([send.Resource].flat()).toHaveLength(2);
    expect(resourcesOfSend).toContain(identityId);
    expect(resourcesOfSend).toContain(configurationSetId);
    expect(resourcesOfSend).toContain(':configuration-set/');
    expect(resourcesOfSend).not.toContain('*');
    const vars = resources[fn]!.Properties.Environment.Variables;
    expect(vars[ENV.tableName]).toEqual({ Ref: tableId });
    expect(vars[ENV.sesConfigurationSet]).toEqual({ Ref: configurationSetId });
    expect(vars[ENV.emailFrom]).toBe('no-reply@example.com');
    expect(vars[ENV.emailLinkSecretArn]).toEqual(expect.anything());
    // No other function may send email.
    const senders = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes('ses:'));
    expect(senders).toHaveLength(1);
  });

  it('sends SES bounces and complaints of the configuration set to an encrypted topic whose subscriber may only put items', () => {
    const destinations = ofType('AWS::SES::ConfigurationSetEventDestination');
    expect(destinations).toHaveLength(1);
    expect(destinations[0]![1].Properties.EventDestination.MatchingEventTypes.sort()).toEqual(['bounce', 'complaint']);
    const topicOfEvents = destinations[0]![1].Properties.EventDestination.SnsDestination.TopicARN.Ref as string;
    expect(resources[topicOfEvents]!.Properties.KmsMasterKeyId).toEqual(expect.anything());
    const subscription = ofType('AWS::SNS::Subscription').find(([, r]) => r.Properties.TopicArn.Ref === topicOfEvents)!;
    const fn = subscription[1].Properties.Endpoint['Fn::GetAtt'][0] as string;
    expect(actionsOf(fn)).toEqual(['dynamodb:PutItem', 'sqs:SendMessage', ...XRAY].sort());
    expect(resources[fn]!.Properties.DeadLetterConfig).toEqual(expect.anything());
  });
});
