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

export interface BookingWorkflowProps {
  table: ITable;
  /**
   * Reserved concurrency by step: at most this many instances of the step's function run at
   * once (and they are always available to it). Steps not named share the account's pool.
   */
  reservedConcurrency?: Partial<Record<WorkflowStep, number>>;
}

/**
 * What a function outside the workflow may do with it:
 * - `start`: StartExecution (one execution per booking);
 * - `callback`: resume a waiting execution with its task token (SendTaskSuccess/Failure);
 * - `cancel`: end a booking's execution: fail its wait (SendTaskFailure with the token) or,
 *   when it is not waiting, stop it (StopExecution on this state machine's executions).
 */
/** `cancel`: fail a wait or stop an execution; `stop`: only stop one (with `callback`, which fails waits already). */
export type WorkflowAccess = 'start' | 'callback' | 'cancel' | 'stop';

/**
 * How long a step may run. Most steps are a few DynamoDB calls; the confirmation step calls Zoom (and Scheduler).
 * Its 30 s must stay below the meeting creation claim's lease (MEETING_CLAIM_LEASE_MS, 45 s,
 * shared/usecases/meetings.ts), so that no attempt outlives its claim. The steps that ask
 * Paystack before releasing a booking get 30 s too: the client's own tries (4 × 5 s and
 * their backoff) end before the function does, so a slow Paystack fails as PaymentUnverified.
 */
const STEP_TIMEOUTS: Partial<Record<WorkflowStep, Duration>> = {
  confirmBooking: Duration.seconds(30),
  cancelUnpaid: Duration.seconds(30),
  releaseOnError: Duration.seconds(30),
};
const DEFAULT_STEP_TIMEOUT = Duration.seconds(10);

/**
 * The steps that settle their own wait: when the decision or the payment came before the
 * task token was stored, the step resumes the execution itself (SendTaskSuccess/Failure).
 */
const CALLBACK_STEPS: readonly WorkflowStep[] = ['awaitDecision', 'awaitPayment'];

/** The actions the callback steps call; SendTaskHeartbeat is not used (no HeartbeatSeconds). */
const STEP_CALLBACK_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure'];

/** `prepareApproval` → `PrepareApproval`. */
const pascal = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

/**
 * The booking workflow: a Standard state machine whose definition is `bookingDefinition()`
 * (shared/workflow/definition.ts, the same object the local runner executes), one function
 * per step of `WORKFLOW_STEPS` substituted for the `${<step>FunctionArn}` placeholders, all
 * executions logged (with their data) to a log group of their own, and traced with X-Ray.
 *
 * Permissions: the state machine's role may invoke exactly the step functions; every step
 * reads and writes the table; `awaitDecision` and `awaitPayment` may resume executions of
 * this state machine. Functions outside the workflow get access through `grant()`.
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
        timeout: STEP_TIMEOUTS[step] ?? DEFAULT_STEP_TIMEOUT,
        ...(props.reservedConcurrency?.[step] !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrency[step] } : {}),
        environment: { [ENV.tableName]: props.table.tableName },
      });
      grantTableAccess(props.table, fn, 'read-write');
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

    for (const step of CALLBACK_STEPS) {
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
