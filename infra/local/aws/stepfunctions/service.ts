/**
 * The local Step Functions service as the local stack (and the tests) start it: the runner
 * with the booking workflow, the executions the store holds resumed, and the AWS API on a
 * loopback port for the functions' real @aws-sdk/client-sfn.
 */
import { bookingDefinition } from '../../../../shared/workflow/definition';
import { createLocalStepFunctions, type LocalStepFunctions, type LocalStepFunctionsOptions, type StepHandler } from './runner';
import { startSfnApi } from './sfn-api';
import { dynamoExecutionStore, type ExecutionStore } from './store';
import { parseTimeScale, RETRY_TIME_SCALE_ENV } from './time-scale';

/** The state machine the local stack runs (the functions read it from STATE_MACHINE_ARN). */
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:booking-local';
export const DEFAULT_SFN_PORT = 4584;

export interface LocalWorkflowServiceOptions {
  handlers: Record<string, StepHandler>;
  /** Default DEFAULT_SFN_PORT; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: LOCAL_TIME_SCALE, else 1. */
  timeScale?: number;
  /** Default: LOCAL_RETRY_TIME_SCALE, else the time scale. */
  retryTimeScale?: number;
  /** Default: bookingDefinition(). */
  definition?: object;
  /** Default: LOCAL_STATE_MACHINE_ARN. */
  stateMachineArn?: string;
  /** Default: the application's table (TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB). */
  store?: ExecutionStore;
  /**
   * Default true: sets AWS_ENDPOINT_URL_SFN and STATE_MACHINE_ARN in process.env before the
   * stored executions resume, since their handlers may call the API straight away.
   */
  exportEnv?: boolean;
  log?: (line: string) => void;
  onEvent?: LocalStepFunctionsOptions['onEvent'];
  /** Default Date.now (see LocalStepFunctionsOptions). */
  now?: () => number;
}

export interface LocalWorkflowService {
  endpoint: string;
  port: number;
  stateMachineArn: string;
  runner: LocalStepFunctions;
  /** Names of the executions resumed at start. */
  resumed: string[];
  /** Stops the executions (they stay RUNNING in the store, to resume next time), then the API. */
  stop: () => Promise<void>;
}

export const startLocalWorkflowService = async (opts: LocalWorkflowServiceOptions): Promise<LocalWorkflowService> => {
  const stateMachineArn = opts.stateMachineArn ?? LOCAL_STATE_MACHINE_ARN;
  const timeScale = opts.timeScale ?? parseTimeScale();
  const runner = createLocalStepFunctions({
    definition: opts.definition ?? bookingDefinition(),
    stateMachineArn,
    handlers: opts.handlers,
    timeScale,
    retryTimeScale: opts.retryTimeScale ?? parseTimeScale(process.env[RETRY_TIME_SCALE_ENV], RETRY_TIME_SCALE_ENV, timeScale),
    store: opts.store ?? dynamoExecutionStore(),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const api = await startSfnApi(runner, { port: opts.port ?? DEFAULT_SFN_PORT, ...(opts.host ? { host: opts.host } : {}) }, opts.log);
  if (opts.exportEnv !== false) Object.assign(process.env, { AWS_ENDPOINT_URL_SFN: api.endpoint, STATE_MACHINE_ARN: stateMachineArn });
  let resumed: string[];
  try {
    resumed = await runner.resumeAll();
  } catch (e) {
    await runner.stop();
    await api.close();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    endpoint: api.endpoint,
    port: api.port,
    stateMachineArn,
    runner,
    resumed,
    stop: () => (stopping ??= runner.stop().finally(() => api.close())),
  };
};
