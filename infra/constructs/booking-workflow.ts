import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { bookingDefinition, stepEntry, stepPlaceholder, WORKFLOW_STEPS, type WorkflowStep } from '../../shared/workflow/definition';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { grantTableAccess } from './table-access';
import type { FunctionAccess, WorkflowAccess } from '../../shared/http/routes';

export interface BookingWorkflowProps {
  table: ITable;
  /**
   * Reserved concurrency by step: at most this many instances of the step's function run at
   * once (and they are always available to it). Steps not named share the account's pool.
   */
  reservedConcurrency?: Partial<Record<WorkflowStep, number>>;
}

export type { WorkflowAccess };

/** A step function's declaration, in the shape of a route's (shared/http/routes.ts). */
export interface StepDef {
  access: FunctionAccess;
  /** Default: DEFAULT_STEP_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
}

const DEFAULT_STEP_TIMEOUT_SECONDS = 10;

/**
 * What each step may touch, and how long it may run. Every step reads and writes the table.
 * The steps that settle their own wait resume the execution themselves (`callback`) when the
 * decision or the payment came before the task token was stored. The confirmation step calls
 * Zoom (and Scheduler): its 30 s must stay below the meeting creation claim's lease
 * (MEETING_CLAIM_LEASE_MS, 45 s, shared/usecases/meetings.ts), so that no attempt outlives its
 * claim. The steps that would release an unpaid booking ask Paystack first (a charge whose
 * webhook never got through is confirmed, not cancelled) and get 30 s too: the client's own
 * tries (4 × 5 s and their backoff) end before the function does, so a slow Paystack fails as
 * PaymentUnverified. meetingFallback deletes a meeting a failed create left before freeing its host.
 */
export const WORKFLOW_STEP_DEFS: Readonly<Record<WorkflowStep, StepDef>> = {
  awaitDecision: { access: { table: 'write', workflow: ['callback'] } },
  expireRequest: { access: { table: 'write' } },
  preparePayment: { access: { table: 'write' } },
  awaitPayment: { access: { table: 'write', workflow: ['callback'] } },
  cancelUnpaid: { access: { table: 'write', paystack: 'api' }, timeoutSeconds: 30 },
  releaseOnError: { access: { table: 'write', paystack: 'api' }, timeoutSeconds: 30 },
  confirmBooking: { access: { table: 'write', zoom: 'api', schedules: 'sync' }, timeoutSeconds: 30 },
  meetingFallback: { access: { table: 'write', zoom: 'api', schedules: 'sync' } },
};

/** The actions the callback steps call; SendTaskHeartbeat is not used (no HeartbeatSeconds). */
const STEP_CALLBACK_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'];

/** `awaitDecision` → `AwaitDecision`. */
const pascal = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/**
 * The booking workflow: a Standard state machine whose definition is `bookingDefinition()`
 * (shared/workflow/definition.ts, the same object the local runner executes), one function
 * per step of `WORKFLOW_STEPS` substituted for the `${<step>FunctionArn}` placeholders, all
 * executions logged (with their data) to a log group of their own, and traced with X-Ray.
 *
 * Permissions: the state machine's role may invoke exactly the step functions; each step gets
 * the table access and the `callback` its WORKFLOW_STEP_DEFS entry declares (the stack grants the
 * rest of it). Functions outside the workflow get access through `grant()`.
 *
 * The callback steps' permission is a separate `iam.Policy`, not the function's default
 * policy: a Lambda function depends on its role's default policy, the state machine on the
 * functions' ARNs, so a default-policy statement naming the state machine would be a cycle
 * (function → default policy → state machine → function).
 */
export class BookingWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  /** The step functions by step name. */
  readonly functions: Record<WorkflowStep, BookingFunction>;

  constructor(scope: Construct, id: string, props: BookingWorkflowProps) {
    super(scope, id);

    const functions = {} as Record<WorkflowStep, BookingFunction>;
    for (const step of WORKFLOW_STEPS) {
      const fn = new BookingFunction(this, `${pascal(step)}Function`, {
        entry: path.join(PROJECT_ROOT, stepEntry(step)),
        description: `Booking workflow step: ${step}`,
        timeout: Duration.seconds(WORKFLOW_STEP_DEFS[step].timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS),
        ...(props.reservedConcurrency?.[step] !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency[step] } : {}),
        environment: { [ENV.tableName]: props.table.tableName },
      });
      grantTableAccess(props.table, fn, WORKFLOW_STEP_DEFS[step].access.table);
      functions[step] = fn;
    }
    this.functions = functions;

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' account-wide resource policy for
      // log deliveries from growing with every state machine (it has a 5,120-character limit).
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-booking-workflow`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(JSON.stringify(bookingDefinition())),
      definitionSubstitutions: Object.fromEntries(WORKFLOW_STEPS.map((step) => [stepPlaceholder(step), functions[step].functionArn])),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });

    for (const step of WORKFLOW_STEPS) {
      functions[step].grantInvoke(this.stateMachine);
    }

    // A step's own `callback`: the other access of WORKFLOW_STEP_DEFS is granted by the stack (grantAccess).
    for (const step of WORKFLOW_STEPS.filter((st) => WORKFLOW_STEP_DEFS[st].access.workflow?.includes('callback'))) {
      const fn = functions[step];
      new Policy(this, `${pascal(step)}TaskResponse`, {
        roles: [fn.role!],
        statements: [new PolicyStatement({ effect: Effect.ALLOW, actions: STEP_CALLBACK_ACTIONS, resources: [this.stateMachine.stateMachineArn] })],
      });
    }
  }

  /**
   * Give a function outside the workflow (an HTTP handler) the state machine's ARN in
   * `STATE_MACHINE_ARN` and the permission `access` needs, scoped to this state machine.
   */
  grant(fn: LambdaFunction, access: WorkflowAccess): void {
    fn.addEnvironment(ENV.stateMachineArn, this.stateMachine.stateMachineArn);
    switch (access) {
      case 'start':
        this.stateMachine.grants.startExecution(fn);
        break;
      case 'callback':
        this.stateMachine.grants.taskResponse(fn);
        break;
      case 'cancel':
        this.stateMachine.grants.actions(fn, 'states:SendTaskFailure');
        // arn:aws:states:{region}:{account}:execution:{state machine name}:*
        this.stateMachine.grants.execution(fn, 'states:StopExecution');
        break;
      case 'stop':
        this.stateMachine.grants.execution(fn, 'states:StopExecution');
        break;
    }
  }
}
