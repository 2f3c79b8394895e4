/**
 * Least privilege, read from the declarations: every route function's permissions, environment,
 * timeout and memory follow from its entry in the route table (shared/http/routes.ts), and every
 * workflow step's from WORKFLOW_STEP_DEFS: what an entry declares is granted, and nothing else
 * (a route not declaring Paystack cannot read the Paystack secret, nor knows its ARN).
 * stack.int.test.ts keeps its own hand-written lists as a second opinion.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { ENV } from '../shared/config';
import { DEFAULT_ROUTE_MEMORY_MB, DEFAULT_ROUTE_TIMEOUT_SECONDS, ROUTES, type FunctionAccess } from '../shared/http/routes';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
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
];

const labelOf = (resource: unknown): string => {
  const text = JSON.stringify(resource);
  if (resource === '*') return '*';
  const found = RESOURCE_LABELS.find(([id]) => text.includes(`"${id}"`));
  if (/:schedule\/[^"]*-timeline\/\*/.test(text)) return 'timelineSchedules';
  if (!found) throw new Error(`An unexpected resource: ${text}`);
  if (found[1] === 'table' && text.includes('/index/*')) return 'table/index';
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
 * STATE_MACHINE_ARN: the Task state hands it its token.
 */
const expected = (access: FunctionAccess, of: 'route' | 'step' = 'route'): { grants: string[]; env: string[] } => {
  const grants = on(['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], '*');
  const env: string[] = [ENV.tableName];
  if (access.table === 'health') grants.push(`dynamodb:GetItem on table if ${JSON.stringify({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['HEALTH'] } })}`);
  else grants.push(...on(access.table === 'write' ? [...READS, ...WRITES] : READS, 'table', 'table/index'));
  if (access.workflow?.length && of === 'route') env.push(ENV.stateMachineArn);
  for (const w of access.workflow ?? []) {
    if (w === 'start') grants.push(...on(['states:StartExecution'], 'stateMachine'));
    if (w === 'callback') grants.push(...on(['states:SendTaskFailure', ...(of === 'route' ? ['states:SendTaskHeartbeat'] : []), 'states:SendTaskSuccess'], 'stateMachine'));
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
  if (access.email === 'links') {
    grants.push(...on(SECRET_READ, 'emailLinkSecret'));
    env.push(ENV.emailLinkSecretArn);
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

  it('declares the least: Paystack, Zoom, the workflow, the link key and Cognito only where a route needs them', () => {
    const routesWith = (test: (a: FunctionAccess) => boolean) => ROUTES.filter((r) => test(r.access)).map((r) => r.handler);
    expect(routesWith((a) => a.paystack !== undefined)).toEqual(['createSession', 'startPayment', 'paystackWebhook', 'listBanks', 'putMyPayoutAccount']);
    expect(routesWith((a) => a.zoom === 'api')).toEqual(['paystackWebhook', 'getHostLink', 'putMyZoomUser']);
    expect(routesWith((a) => a.zoom === 'webhook')).toEqual(['zoomWebhook']);
    expect(routesWith((a) => a.workflow !== undefined)).toEqual(['paystackWebhook']);
    expect(routesWith((a) => a.email !== undefined)).toEqual(['emailUnsubscribe', 'getSessionCalendar']);
    expect(routesWith((a) => a.cognito !== undefined)).toEqual(['approveTutorApplication']);
    // A GET only reads.
    expect(ROUTES.filter((r) => r.method === 'GET' && r.access.table === 'write')).toEqual([]);
  });
});
