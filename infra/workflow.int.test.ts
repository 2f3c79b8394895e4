/**
 * Targeted facts about the deployed booking workflow (no snapshot): the state machine, the
 * definition CloudFormation will create once it has substituted the step functions' ARNs,
 * the step functions, and who may do what with Step Functions. Bundling is skipped.
 */
import { cdkApp } from '../test/support/cdk';
import { ENV } from '../shared/config';
import { ROUTES } from '../shared/http/routes';
import { bookingDefinition, stepPlaceholder, WORKFLOW_STEPS, type WorkflowStep } from '../shared/workflow/definition';
import { MentorshipStack } from './stack';
import { templatesOf } from '../test/support/templates';

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- asl-validator has no types; require() lets this line state its shape
const validateAsl = require('asl-validator') as (definition: object) => { isValid: boolean; errors: unknown[] };

interface Resource {
  Type: string;
  Properties: Record<string, any>;
  DependsOn?: string[];
}
interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

const app = cdkApp();
// Template.fromStack (and fromJSON, which templatesOf ends with) refuses a template with a dependency
// cycle ("Template is undeployable"), so loading it checks that the callback steps' permission does not
// close the loop step function → its role's policy → state machine → step function.
const template = templatesOf(new MentorshipStack(app, 'Mentorship-dev', { stage: 'dev' })).all;
const resources = template.toJSON().Resources as Record<string, Resource>;

const idsOfType = (type: string): string[] => Object.keys(resources).filter((id) => resources[id]!.Type === type);
const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1);
  return items[0]!;
};

const stateMachineId = only(idsOfType('AWS::StepFunctions::StateMachine'));
const stateMachine = resources[stateMachineId]!;
const stateMachineArn = { Ref: stateMachineId };
const tableId = only(idsOfType('AWS::DynamoDB::Table'));

/** Function logical ids by their description: route functions say `(<handler>)`, step functions `step: <step>`. */
const functionIds = idsOfType('AWS::Lambda::Function');
const functionIdBy = (suffix: string): string => only(functionIds.filter((id) => String(resources[id]!.Properties.Description).endsWith(suffix)));
const stepFunctionId = Object.fromEntries(WORKFLOW_STEPS.map((s) => [s, functionIdBy(`Booking workflow step: ${s}`)])) as Record<WorkflowStep, string>;
const httpFunctionId = Object.fromEntries(ROUTES.map((r) => [r.handler, functionIdBy(`(${r.handler})`)]));

/** A stand-in for a function's ARN, shaped like one (asl-validator checks Resource ARNs). */
const fakeLambdaArn = (id: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${id}`;

/** Resolve the intrinsics a definition can contain into plain strings. */
const resolve = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(resolve).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) {
    const [id, attr] = v['Fn::GetAtt'] as [string, string];
    return resources[id]?.Type === 'AWS::Lambda::Function' && attr === 'Arn' ? fakeLambdaArn(id) : `<${id}.${attr}>`;
  }
  if (v.Ref) return `<${v.Ref}>`;
  throw new Error(`Cannot resolve ${JSON.stringify(value)}`);
};

/** The definition as deployed: the string (or Fn::Join), with DefinitionSubstitutions applied as CloudFormation does. */
const rawDefinition = resolve(stateMachine.Properties.DefinitionString);
const substitutions = (stateMachine.Properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
const deployedText = rawDefinition.replace(/\$\{([^}]+)\}/g, (whole, key: string) => (key in substitutions ? resolve(substitutions[key]) : whole));
const deployed = JSON.parse(deployedText) as ReturnType<typeof bookingDefinition>;
const states = deployed.States as Record<string, Record<string, any>>;
const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');

/** All statements of the policies attached to a role (default policy and separate ones). */
const statementsOfRole = (roleId: string): Statement[] =>
  idsOfType('AWS::IAM::Policy')
    .filter((id) => (resources[id]!.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })))
    .flatMap((id) => resources[id]!.Properties.PolicyDocument.Statement as Statement[]);
const roleOfFunction = (fnId: string): string => resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
const actions = (s: Statement): string[] => [s.Action].flat();
const resourceList = (s: Statement): unknown[] => [s.Resource].flat();
/** The `states:` statements of a function's role, as `action → resources`. */
const statesPermissions = (fnId: string): Record<string, unknown[]> => {
  const out: Record<string, unknown[]> = {};
  for (const s of statementsOfRole(roleOfFunction(fnId))) {
    expect(s.Effect).toBe('Allow');
    for (const a of actions(s).filter((a) => a.startsWith('states:'))) out[a] = [...(out[a] ?? []), ...resourceList(s)];
  }
  return out;
};

describe('The booking workflow', () => {
  describe('state machine', () => {
    it('is a Standard state machine, traced with X-Ray', () => {
      expect(stateMachine.Properties.StateMachineType).toBe('STANDARD');
      expect(stateMachine.Properties.TracingConfiguration).toEqual({ Enabled: true });
    });

    it('logs every event, with execution data, to a log group of its own', () => {
      const logGroupId = only(idsOfType('AWS::Logs::LogGroup').filter((id) => String(resources[id]!.Properties.LogGroupName ?? '').startsWith('/aws/vendedlogs/states/')));
      expect(stateMachine.Properties.LoggingConfiguration).toEqual({
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      });
      expect(resources[logGroupId]!.Properties.RetentionInDays).toBe(30);
    });

    it('is output as StateMachineArn', () => {
      template.hasOutput('StateMachineArn', { Value: stateMachineArn });
    });
  });

  describe('definition', () => {
    it('has every function placeholder substituted, and no substitution unused', () => {
      expect(deployedText).not.toContain('${');
      const used = [...rawDefinition.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]);
      expect(new Set(used)).toEqual(new Set(Object.keys(substitutions)));
    });

    it('is bookingDefinition() with each step’s placeholder replaced by that step’s function', () => {
      let expected = JSON.stringify(bookingDefinition());
      for (const step of WORKFLOW_STEPS) expected = expected.replaceAll(`\${${stepPlaceholder(step)}}`, fakeLambdaArn(stepFunctionId[step]));
      expect(deployed).toEqual(JSON.parse(expected));
    });

    it('is valid Amazon States Language', () => {
      const { isValid, errors } = validateAsl(deployed);
      expect(errors).toEqual([]);
      expect(isValid).toBe(true);
    });

    it('invokes only the step functions, and each of them', () => {
      const invoked = new Set(tasks.map(([, s]) => s.Parameters.FunctionName));
      expect(invoked).toEqual(new Set(WORKFLOW_STEPS.map((step) => fakeLambdaArn(stepFunctionId[step]))));
      for (const [, s] of tasks) expect(s.Resource).toMatch(/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/);
    });

    it.each([
      ['AwaitDecision', 'awaitDecision', '$.approvalTimeoutSeconds', 'ExpireRequest'],
      ['AwaitPayment', 'awaitPayment', '$.payment.value.timeoutSeconds', 'CancelUnpaid'],
    ] as const)('%s waits for a task token from %s, times out after %s, then goes to %s', (name, step, timeoutPath, onTimeout) => {
      const state = states[name]!;
      expect(state).toMatchObject({
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        TimeoutSecondsPath: timeoutPath,
        Parameters: { FunctionName: fakeLambdaArn(stepFunctionId[step]), Payload: { 'taskToken.$': '$$.Task.Token' } },
      });
      expect(state.Catch).toContainEqual(expect.objectContaining({ ErrorEquals: ['States.Timeout'], Next: onTimeout }));
    });

    it('has no other task-token waits', () => {
      const waits = tasks.filter(([, s]) => String(s.Resource).endsWith('.waitForTaskToken')).map(([name]) => name);
      expect(waits.sort()).toEqual(['AwaitDecision', 'AwaitPayment']);
    });

    it('ends with the confirmation: the timeline runs on schedules, not states', () => {
      // Meeting and confirmation one step; its fallback confirms without a meeting; both end the execution.
      expect(states.ConfirmBooking).toMatchObject({ End: true });
      expect((states.ConfirmBooking!.Catch as { Next: string }[]).map((c) => c.Next)).toEqual(['MeetingFallback']);
      expect(states.MeetingFallback).toMatchObject({ End: true });
      for (const name of ['WaitUntilNextStep', 'RunTimelineStep', 'PlanTimeline', 'CreateMeeting']) expect(states[name]).toBeUndefined();
    });

    it.each(['CancelUnpaid', 'ReleaseOnError'])(
      '%s, which asks Paystack before releasing a booking, retries PaymentUnverified first and longest, then ends in PaymentUnverified, never releasing blind',
      (name) => {
        const state = states[name]!;
        expect(state.Retry[0]).toMatchObject({ ErrorEquals: ['PaymentUnverified'], BackoffRate: 2, JitterStrategy: 'FULL' });
        const r = state.Retry[0] as { IntervalSeconds: number; MaxAttempts: number; BackoffRate: number; MaxDelaySeconds: number };
        const longest = Array.from({ length: r.MaxAttempts }, (_, i) => Math.min(r.IntervalSeconds * r.BackoffRate ** i, r.MaxDelaySeconds)).reduce((a, b) => a + b, 0);
        expect(longest).toBeGreaterThanOrEqual(15 * 60);
        expect(state.Catch[0]).toMatchObject({ ErrorEquals: ['PaymentUnverified'], Next: 'PaymentUnverified' });
        expect(states.PaymentUnverified).toMatchObject({ Type: 'Fail', Error: 'PaymentUnverified' });
      },
    );

    it.each(tasks.map(([name]) => name))('retries %s with exponential backoff and catches every error', (name) => {
      const state = states[name]!;
      expect(state.Retry.length).toBeGreaterThan(0);
      // Retriers that retry at all back off; a callback's answers (RequestRejected…) are never retried.
      const retrying = state.Retry.filter((r: { MaxAttempts?: number }) => r.MaxAttempts !== 0);
      expect(retrying.length).toBeGreaterThan(0);
      for (const retrier of retrying) expect(retrier.BackoffRate).toBeGreaterThan(1);
      expect(retrying.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toContain('States.TaskFailed');
      expect(state.Catch.length).toBeGreaterThan(0);
      expect(state.Catch.at(-1).ErrorEquals).toEqual(['States.ALL']);
    });
  });

  describe('step functions', () => {
    it.each(WORKFLOW_STEPS.map((s) => [s]))('runs %s on Node.js 22, arm64, with the table name', (step) => {
      expect(resources[stepFunctionId[step]]!.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: { [ENV.tableName]: { Ref: tableId } } },
      });
      expect(resources[stepFunctionId[step]]!.Properties.Environment.Variables[ENV.stateMachineArn]).toBeUndefined();
    });

    it('gives the steps that call out 30 s (confirmBooking: Zoom; cancelUnpaid and releaseOnError: Paystack) and every other step 10 s', () => {
      const callers: readonly string[] = ['confirmBooking', 'cancelUnpaid', 'releaseOnError'];
      for (const step of WORKFLOW_STEPS) {
        expect([step, resources[stepFunctionId[step]]!.Properties.Timeout]).toEqual([step, callers.includes(step) ? 30 : 10]);
      }
    });

    it('reserves concurrency for confirmBooking (it creates the meeting: Zoom rate-limits meeting creation), for no other step', () => {
      for (const step of WORKFLOW_STEPS) {
        expect([step, resources[stepFunctionId[step]]!.Properties.ReservedConcurrentExecutions]).toEqual([step, step === 'confirmBooking' ? 10 : undefined]);
      }
    });

    it('retries a throttled confirmBooking (its reserved concurrency used up) rather than failing the step', () => {
      const [name] = only(tasks.filter(([, s]) => s.Parameters.FunctionName === fakeLambdaArn(stepFunctionId.confirmBooking)));
      const retried = (states[name]!.Retry as { ErrorEquals: string[]; MaxAttempts?: number }[]).filter((r) => r.MaxAttempts !== 0).flatMap((r) => r.ErrorEquals);
      expect(retried).toContain('Lambda.TooManyRequestsException');
    });
  });

  describe('permissions', () => {
    const stateMachineRoleId = stateMachine.Properties.RoleArn['Fn::GetAtt'][0] as string;
    const smStatements = statementsOfRole(stateMachineRoleId);

    it('lets the state machine invoke exactly the step functions (and their versions)', () => {
      const invokable = smStatements.filter((s) => actions(s).some((a) => a.startsWith('lambda:')));
      for (const s of invokable) expect(actions(s)).toEqual(['lambda:InvokeFunction']);
      const expected = WORKFLOW_STEPS.flatMap((step) => {
        const arn = { 'Fn::GetAtt': [stepFunctionId[step], 'Arn'] };
        return [arn, { 'Fn::Join': ['', [arn, ':*']] }];
      });
      const granted = invokable.flatMap(resourceList);
      expect(granted).toHaveLength(expected.length);
      expect(granted).toEqual(expect.arrayContaining(expected));
    });

    it('does not let the state machine invoke any route’s function', () => {
      const granted = JSON.stringify(smStatements.flatMap(resourceList));
      for (const id of Object.values(httpFunctionId)) expect(granted).not.toContain(`"${id}"`);
    });

    it('gives the state machine a wildcard resource only for log delivery and X-Ray, which allow no other', () => {
      const wildcardActions = smStatements.filter((s) => resourceList(s).includes('*')).flatMap(actions);
      for (const a of wildcardActions)
        expect(a).toMatch(/^(logs:(Create|Get|Update|Delete|List)LogDeliver(y|ies)|logs:(PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|xray:\w+)$/);
      expect(new Set(smStatements.flatMap(actions).map((a) => a.split(':')[0]))).toEqual(new Set(['lambda', 'logs', 'xray']));
    });

    const executionsOfThisStateMachine = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':states:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':execution:',
          { 'Fn::Select': [6, { 'Fn::Split': [':', stateMachineArn] }] },
          ':*',
        ],
      ],
    };

    it('lets the table stream’s startWorkflow consumer start executions, answer their tasks and stop them, on this state machine only (bookings start, and decisions resume them, from the stream)', () => {
      const [startWorkflow, ...others] = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Description: 'Table stream: startWorkflow' } }));
      expect(others).toEqual([]);
      const { 'states:StopExecution': stop, 'states:StartExecution': start, ...answers } = statesPermissions(startWorkflow!);
      expect(start).toEqual([stateMachineArn]);
      expect(stop).toEqual([executionsOfThisStateMachine]);
      expect(answers).toMatchObject({ 'states:SendTaskSuccess': [stateMachineArn], 'states:SendTaskFailure': [stateMachineArn] });
      expect(Object.keys(answers).filter((a) => !/^states:SendTask(Success|Failure|Heartbeat)$/.test(a))).toEqual([]);
      expect(resources[startWorkflow!]!.Properties.Environment.Variables[ENV.stateMachineArn]).toEqual(stateMachineArn);
      expect(statesPermissions(httpFunctionId.createSession!)).toEqual({});
    });

    it('lets the Paystack webhook send task success and failure to this state machine only', () => {
      const { 'states:StopExecution': _stop, ...granted } = statesPermissions(httpFunctionId.paystackWebhook!);
      expect(granted).toMatchObject({ 'states:SendTaskSuccess': [stateMachineArn], 'states:SendTaskFailure': [stateMachineArn] });
      expect(Object.keys(granted).filter((a) => !/^states:SendTask(Success|Failure|Heartbeat)$/.test(a))).toEqual([]);
      for (const r of Object.values(granted)) expect(r).toEqual([stateMachineArn]);
    });

    it('lets the Paystack webhook resume the execution waiting for the payment (SendTaskSuccess)', () => {
      expect(statesPermissions(httpFunctionId.paystackWebhook!)['states:SendTaskSuccess']).toEqual([stateMachineArn]);
      expect(statesPermissions(httpFunctionId.startPayment!)).toEqual({});
    });

    it('lets the Paystack webhook stop an execution of this state machine (a session refunded in full is closed)', () => {
      expect(statesPermissions(httpFunctionId.paystackWebhook!)['states:StopExecution']).toEqual([executionsOfThisStateMachine]);
    });

    // approve, reject, cancel and reschedule store their callbacks in their transaction: the stream sends them.
    const workflowHandlers = ['paystackWebhook'];

    it.each(ROUTES.map((r) => r.handler).filter((h) => !workflowHandlers.includes(h)))('gives %s no Step Functions permission', (handler) => {
      expect(statesPermissions(httpFunctionId[handler]!)).toEqual({});
    });

    it('gives STATE_MACHINE_ARN to the route functions that use the workflow, and to no other', () => {
      const withArn = Object.entries(httpFunctionId)
        .filter(([, id]) => resources[id]!.Properties.Environment.Variables[ENV.stateMachineArn] !== undefined)
        .map(([handler, id]) => [handler, resources[id]!.Properties.Environment.Variables[ENV.stateMachineArn]]);
      expect(Object.fromEntries(withArn)).toEqual(Object.fromEntries(workflowHandlers.map((h) => [h, stateMachineArn])));
    });

    it.each(['awaitDecision', 'awaitPayment'] as const)('lets the %s step settle its own wait on this state machine', (step) => {
      expect(statesPermissions(stepFunctionId[step])).toEqual({
        'states:SendTaskSuccess': [stateMachineArn],
        'states:SendTaskFailure': [stateMachineArn],
      });
    });

    it.each(WORKFLOW_STEPS.filter((s) => !['awaitDecision', 'awaitPayment'].includes(s)))('gives the %s step no Step Functions permission', (step) => {
      expect(statesPermissions(stepFunctionId[step])).toEqual({});
    });
  });
});
