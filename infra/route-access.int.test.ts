/**
 * Least privilege, read from the declarations: every route function's permissions, environment,
 * timeout and memory follow from its entry in the route table (shared/http/routes.ts), every
 * workflow step's from WORKFLOW_STEP_DEFS, and every stream consumer's from STREAM_CONSUMER_DEFS
 * (shared/streams/consumers.ts): what an entry declares is granted, and nothing else (a route not
 * declaring Paystack cannot read the Paystack secret, nor knows its ARN). stack.int.test.ts and
 * streams.int.test.ts keep their own hand-written lists as a second opinion.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { ENV } from '../shared/config';
import { DEFAULT_ROUTE_MEMORY_MB, DEFAULT_ROUTE_TIMEOUT_SECONDS, ROUTES, type FunctionAccess } from '../shared/http/routes';
import { DEFAULT_STREAM_MEMORY_MB, STREAM_CONSUMER_DEFS, STREAM_CONSUMERS, type StreamConsumer } from '../shared/streams/consumers';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
import { WS_ENV } from '../shared/ws/config';
import { cdkApp } from '../test/support/cdk';
import { templatesOf } from '../test/support/templates';
import { WORKFLOW_STEP_DEFS } from './constructs/booking-workflow';
import { MentorshipStack } from './stack';

type Json = Record<string, any>;

const stack = new MentorshipStack(cdkApp(), 'Mentorship-access', { stage: 'dev', zoomHostUsers: ['host-a@example.com'] });
const template = templatesOf(stack).all.toJSON() as { Resources: Record<string, Json> };
const idOf = (c: { node: { defaultChild?: unknown } }): string => stack.resolve(stack.getLogicalId(c.node.defaultChild as CfnElement)) as string;

/** What a statement's resource is, by the logical id it names. */
const RESOURCE_LABELS: [string, string][] = [
  [idOf(stack.table.table), 'table'],
  [idOf(stack.workflow.stateMachine), 'stateMachine'],
  [idOf(stack.paystack.secret), 'paystackSecret'],
  [idOf(stack.zoom.secret), 'zoomSecret'],
  [idOf(stack.email.linkSecret), 'emailLinkSecret'],
  [idOf(stack.users.userPool), 'userPool'],
  [idOf(stack.timeline.role), 'timelineRole'],
  [idOf(stack.webSocket.api), 'webSocket'],
  [idOf(stack.email.identity), 'sesIdentity'],
  [idOf(stack.email.configurationSet), 'sesConfigurationSet'],
  ...STREAM_CONSUMERS.map((c): [string, string] => [idOf(stack.streams.deadLetterQueues[c]), `deadLetters(${c})`]),
];

const labelOf = (resource: unknown): string => {
  const text = JSON.stringify(resource);
  if (resource === '*') return '*';
  const found = RESOURCE_LABELS.find(([id]) => text.includes(`"${id}"`));
  if (/:schedule\/[^"]*-timeline\/\*/.test(text)) return 'timelineSchedules';
  if (!found) throw new Error(`An unexpected resource: ${text}`);
  if (found[1] === 'table' && text.includes('/index/*')) return 'table/index';
  if (found[1] === 'table' && text.includes('"StreamArn"')) return 'tableStream';
  if (found[1] === 'webSocket' && text.includes('/@connections/*')) return 'webSocketConnections';
  if (found[1] === 'stateMachine' && text.includes(':execution:')) return 'execution';
  return found[1];
};

/** `action on resource` for every statement of the role's policies (cdk.json's minimizePolicies merges them: they are split back). */
const grantsOf = (fn: Json): string[] => {
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === role));
  const out = new Set<string>();
  for (const p of policies) {
    for (const s of p.Properties.PolicyDocument.Statement as Json[]) {
      expect(s.Effect).toBe('Allow');
      const condition = s.Condition ? ` if ${JSON.stringify(s.Condition)}` : '';
      for (const a of [s.Action].flat()) for (const r of [s.Resource].flat()) out.add(`${a} on ${labelOf(r)}${condition}`);
    }
  }
  return [...out].sort();
};

const READS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
const WRITES = ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
const on = (actions: string[], ...resources: string[]) => actions.flatMap((a) => resources.map((r) => `${a} on ${r}`));
const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

/**
 * The grants and the environment variables an access declaration stands for. A step's own
 * `callback` is the workflow's policy of the two actions it calls (no heartbeat), and no
 * STATE_MACHINE_ARN: the Task state hands it its token. A stream consumer also reads the stream
 * and sends to its own dead-letter queue (its event source mapping's grants).
 */
const expected = (access: FunctionAccess, of: 'route' | 'step' | { consumer: StreamConsumer } = 'route'): { grants: string[]; env: string[] } => {
  const grants = on(['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], '*');
  const env: string[] = [ENV.tableName];
  if (typeof of === 'object') {
    grants.push(...on(['dynamodb:ListStreams'], '*'), ...on(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], 'tableStream'));
    grants.push(...on(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], `deadLetters(${of.consumer})`));
  }
  if (access.table === 'health') grants.push(`dynamodb:GetItem on table if ${JSON.stringify({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['HEALTH'] } })}`);
  else if (typeof access.table !== 'string')
    grants.push(
      ...on(
        access.table.map((a) => `dynamodb:${a}`),
        'table',
        'table/index',
      ),
    );
  else grants.push(...on(access.table === 'write' ? [...READS, ...WRITES] : READS, 'table', 'table/index'));
  if (access.workflow?.length && of !== 'step') env.push(ENV.stateMachineArn);
  for (const w of access.workflow ?? []) {
    if (w === 'start') grants.push(...on(['states:StartExecution'], 'stateMachine'));
    if (w === 'callback') grants.push(...on(['states:SendTaskFailure', ...(of !== 'step' ? ['states:SendTaskHeartbeat'] : []), 'states:SendTaskSuccess'], 'stateMachine'));
    if (w === 'cancel') grants.push(...on(['states:SendTaskFailure'], 'stateMachine'), ...on(['states:StopExecution'], 'execution'));
    if (w === 'stop') grants.push(...on(['states:StopExecution'], 'execution'));
  }
  if (access.paystack) {
    grants.push(...on(SECRET_READ, 'paystackSecret'));
    env.push(ENV.paystackSecretArn, ENV.paystackBaseUrl, ENV.frontendUrl);
  }
  if (access.zoom) {
    grants.push(...on(SECRET_READ, 'zoomSecret'));
    env.push(ENV.zoomSecretArn);
    if (access.zoom === 'api') env.push(ENV.zoomApiBaseUrl, ENV.zoomOauthUrl, ENV.zoomUserId, ENV.zoomHostUsers);
  }
  if (access.email === 'links' || access.email === 'send') {
    grants.push(...on(SECRET_READ, 'emailLinkSecret'));
    env.push(ENV.emailLinkSecretArn);
  }
  if (access.email === 'send') {
    grants.push(...on(['ses:SendEmail'], 'sesIdentity', 'sesConfigurationSet'));
    env.push(ENV.emailFrom, ENV.sesConfigurationSet, ENV.frontendUrl, ENV.apiUrl);
  }
  if (access.webSocket === 'push') {
    grants.push(...on(['execute-api:ManageConnections'], 'webSocketConnections'));
    env.push(WS_ENV.websocketManagementUrl);
  }
  if (access.email === 'calendar') env.push(ENV.emailFrom, ENV.frontendUrl);
  if (access.schedules === 'sync') {
    grants.push(...on(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule'], 'timelineSchedules'), ...on(['iam:PassRole'], 'timelineRole'));
    env.push(ENV.timelineScheduleGroup, ENV.timelineTargetArn, ENV.timelineSchedulerRoleArn, ENV.timelineDlqArn);
  }
  if (access.cognito === 'groups') {
    grants.push(...on(['cognito-idp:AdminAddUserToGroup'], 'userPool'));
    env.push(ENV.userPoolId);
  }
  return { grants: [...new Set(grants)].sort(), env: [...new Set(env)].sort() };
};

const functionWith = (description: (d: string) => boolean): Json => {
  const fns = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && description(String(r.Properties.Description)));
  expect(fns).toHaveLength(1);
  return fns[0]!;
};

/** The variables every function has, whatever it may touch. */
const COMMON_ENV = ['POWERTOOLS_LOG_LEVEL', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME'];
const ours = (fn: Json, more: string[] = []): string[] =>
  Object.keys(fn.Properties.Environment.Variables)
    .filter((k) => !COMMON_ENV.includes(k) && !more.includes(k))
    .sort();

describe('Each function gets what its declaration says, and nothing else', () => {
  it.each(ROUTES.map((r) => [r.handler, r] as const))('route %s: its IAM statements, environment, timeout and memory follow from its entry', (handler, route) => {
    const fn = functionWith((d) => d.endsWith(`(${handler})`));
    const want = expected(route.access);
    expect({ handler, grants: grantsOf(fn) }).toEqual({ handler, grants: want.grants });
    expect({ handler, env: ours(fn, [ENV.allowedOrigins]) }).toEqual({ handler, env: want.env });
    expect(fn.Properties.Timeout).toBe(route.timeoutSeconds ?? DEFAULT_ROUTE_TIMEOUT_SECONDS);
    expect(fn.Properties.MemorySize).toBe(route.memoryMb ?? DEFAULT_ROUTE_MEMORY_MB);
  });

  it.each(WORKFLOW_STEPS.map((s) => [s] as const))('workflow step %s: its IAM statements and environment follow from WORKFLOW_STEP_DEFS', (step) => {
    const fn = functionWith((d) => d === `Booking workflow step: ${step}`);
    const want = expected(WORKFLOW_STEP_DEFS[step].access, 'step');
    expect({ step, grants: grantsOf(fn) }).toEqual({ step, grants: want.grants });
    expect({ step, env: ours(fn) }).toEqual({ step, env: want.env });
    expect(fn.Properties.Timeout).toBe(WORKFLOW_STEP_DEFS[step].timeoutSeconds ?? 10);
  });

  it.each(STREAM_CONSUMERS.map((c) => [c] as const))('stream consumer %s: its IAM statements, environment, timeout and memory follow from STREAM_CONSUMER_DEFS', (consumer) => {
    const fn = functionWith((d) => d === `Table stream: ${consumer}`);
    const def = STREAM_CONSUMER_DEFS[consumer];
    const want = expected(def.access, { consumer });
    expect({ consumer, grants: grantsOf(fn) }).toEqual({ consumer, grants: want.grants });
    expect({ consumer, env: ours(fn) }).toEqual({ consumer, env: want.env });
    expect(fn.Properties.Timeout).toBe(def.timeoutSeconds);
    expect(fn.Properties.MemorySize).toBe(def.memoryMb ?? DEFAULT_STREAM_MEMORY_MB);
  });

  it('declares the least: Paystack, Zoom, the workflow, the link key and Cognito only where a route needs them', () => {
    const routesWith = (test: (a: FunctionAccess) => boolean) => ROUTES.filter((r) => test(r.access)).map((r) => r.handler);
    expect(routesWith((a) => a.paystack !== undefined)).toEqual(['createSession', 'startPayment', 'paystackWebhook', 'listBanks', 'putMyPayoutAccount']);
    expect(routesWith((a) => a.zoom === 'api')).toEqual(['getHostLink', 'putMyZoomUser']);
    expect(routesWith((a) => a.zoom === 'webhook')).toEqual(['zoomWebhook']);
    expect(routesWith((a) => a.workflow !== undefined)).toEqual(['paystackWebhook']);
    expect(routesWith((a) => a.email !== undefined)).toEqual(['emailUnsubscribe', 'getSessionCalendar']);
    expect(routesWith((a) => a.cognito !== undefined)).toEqual(['approveTutorApplication']);
    // A GET only reads.
    expect(ROUTES.filter((r) => r.method === 'GET' && r.access.table === 'write')).toEqual([]);
    // Only the stream consumers send email and push to connections, one each.
    const consumersWith = (test: (a: FunctionAccess) => boolean) => STREAM_CONSUMERS.filter((c) => test(STREAM_CONSUMER_DEFS[c].access));
    expect(routesWith((a) => a.email === 'send' || a.webSocket !== undefined)).toEqual([]);
    expect(consumersWith((a) => a.email === 'send')).toEqual(['emailNotifications']);
    expect(consumersWith((a) => a.webSocket === 'push')).toEqual(['pushNotifications']);
  });
});
