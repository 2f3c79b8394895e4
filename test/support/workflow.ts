/**
 * The local Step Functions service for tests: the deployed definition, the real task
 * functions in-process, DynamoDB Local, and time compressed `timeScale` times (retries alone
 * `retryTimeScale` times). The session handlers reach it through the real SFN client
 * (AWS_ENDPOINT_URL_SFN).
 */
import { bookingDefinition, type WorkflowStep } from '../../shared/workflow/definition';
import { stepHandlers, type StepHandler } from '../../infra/local/aws/stepfunctions/step-handlers';
import { dynamoExecutionStore } from '../../infra/local/aws/stepfunctions/store';
import { ensureTable } from '../../infra/local/aws/dynamo';
import { getSession, transitionSession } from '../../shared/data/sessions';
import { bookingWorkflow } from '../../shared/integrations/workflow';
import { LOCAL_STATE_MACHINE_ARN, startLocalWorkflowService } from '../../infra/local/aws/stepfunctions/service';
import { SfnError, type ExecutionDescription } from '../../infra/local/aws/stepfunctions/runner';

export interface WorkflowHarness {
  service: Awaited<ReturnType<typeof startLocalWorkflowService>>;
  /** The session's execution is in `state` and its task has done its work (e.g. stored its token). */
  inState: (sessionId: string, state: string) => Promise<void>;
  /**
   * Runs the session's execution to its end: whenever it waits in one of `timeFor`'s states,
   * that wait's time comes (its timer is fired); any other wait is left to the test.
   */
  runToEnd: (sessionId: string, timeFor?: string[], timeoutMs?: number) => Promise<ExecutionDescription>;
  /** Restarts the service (a new runner on the same store), resuming what was running. */
  restart: () => Promise<void>;
  executionArn: (sessionId: string) => string;
}

export type StepWrapper = (step: WorkflowStep, run: StepHandler) => StepHandler;

/**
 * A booking's execution is started from the table stream (useTableStreams), a moment after
 * the booking is written: the runner's `waitFor` first waits for the execution to exist.
 */
const waitForStart = (runner: WorkflowHarness['service']['runner']) => {
  const waitFor = runner.waitFor.bind(runner);
  runner.waitFor = async (arn, until, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    const exists = () =>
      runner.describeExecution(arn).then(
        () => true,
        (e: unknown) => (e instanceof SfnError && e.code === 'ExecutionDoesNotExist' ? false : Promise.reject(e)),
      );
    while (!(await exists())) {
      if (Date.now() > deadline) throw new Error(`Execution ${arn} was not started within ${timeoutMs} ms (is useTableStreams() on?)`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return waitFor(arn, until, Math.max(1, deadline - Date.now()));
  };
};

/** Starts the service before the file's tests and stops it after. `wrap` lets a test inject faults. */
export const useLocalWorkflow = (opts: { timeScale: number; retryTimeScale?: number; wrap?: () => StepWrapper | undefined }) => {
  const harness = {} as WorkflowHarness;
  const start = async (port = 0) => {
    const wrap = opts.wrap?.();
    harness.service = await startLocalWorkflowService({
      port,
      timeScale: opts.timeScale,
      ...(opts.retryTimeScale !== undefined ? { retryTimeScale: opts.retryTimeScale } : {}),
      handlers: stepHandlers((step, run) => (wrap ? wrap(step, run) : run)),
      definition: bookingDefinition(),
      store: dynamoExecutionStore(),
    });
    waitForStart(harness.service.runner);
  };
  beforeAll(async () => {
    // Register this before useTestTable(): hooks run in declaration order, so the table
    // exists when executions resume here, and the service stops before the table is deleted.
    await ensureTable(process.env.AWS_ENDPOINT_URL_DYNAMODB!, process.env.TABLE_NAME!);
    await start();
    process.env.AWS_ENDPOINT_URL_SFN = harness.service.endpoint;
    process.env.STATE_MACHINE_ARN = LOCAL_STATE_MACHINE_ARN;
  });
  afterAll(async () => {
    await harness.service?.stop();
  });
  harness.restart = async () => {
    const { port } = new URL(harness.service.endpoint);
    await harness.service.stop();
    await start(Number(port));
  };
  harness.executionArn = (sessionId) => harness.service.runner.executionArn(sessionId);
  harness.runToEnd = async (sessionId, timeFor = [], timeoutMs = 20_000) => {
    const runner = harness.service.runner;
    const arn = harness.executionArn(sessionId);
    for (;;) {
      const d = await runner.waitFor(arn, (x) => x.status !== 'RUNNING' || (x.waiting !== undefined && timeFor.includes(x.currentState!)), timeoutMs);
      if (d.status !== 'RUNNING') return d;
      await runner.fireTimer(arn);
      await runner.waitFor(arn, (x) => x.status !== 'RUNNING' || x.stateTransitions > d.stateTransitions, timeoutMs);
    }
  };
  harness.inState = async (sessionId, state) => {
    await harness.service.runner.waitFor(harness.executionArn(sessionId), (d) => d.currentState === state, 10_000);
    await harness.service.runner.whenIdle(10_000);
  };
  return harness;
};

/**
 * What the Paystack webhook does once a charge is verified, without Paystack: PAID with a
 * conditional write, then the workflow resumed with the session's payment token.
 */
export const markPaid = async (sessionId: string): Promise<void> => {
  const s = (await getSession(sessionId))!;
  const { paymentTaskToken, ...rest } = s;
  await transitionSession(s, { ...rest, paymentStatus: 'PAID', updatedAt: new Date().toISOString() });
  if (paymentTaskToken) await bookingWorkflow.paid(paymentTaskToken, sessionId);
};
