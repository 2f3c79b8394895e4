/** The local Step Functions service's API as its callers see it: the operations, their shapes and errors. */
import type { ExecutionStatus, ExecutionStore, LocalHistoryEvent } from './store';

export type StepHandler = (payload: unknown) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  /** The ASL definition (e.g. `bookingDefinition()`), with `${<step>FunctionArn}` placeholders. */
  definition: object;
  stateMachineArn: string;
  /** The function behind each step, by step name (e.g. `prepareApproval`). */
  handlers: Record<string, StepHandler>;
  /** Waits, timeouts and retry intervals last 1/timeScale of their real duration. Default 1. */
  timeScale?: number;
  /** Retry intervals alone last 1/retryTimeScale of theirs (default: timeScale). */
  retryTimeScale?: number;
  /** Default: in memory (nothing survives the process). */
  store?: ExecutionStore;
  /** Where problems of the service itself go (a failed write); default stderr. */
  log?: (line: string) => void;
  /** Called with every history event as it is recorded (e.g. a console trace of the local stack). */
  onEvent?: (executionName: string, event: LocalHistoryEvent) => void;
  /**
   * The service's clock (epoch ms), default Date.now: history times, start and stop dates, and
   * where waits stand. A test moves it on to stand for time that passed (e.g. a restart's downtime).
   */
  now?: () => number;
}

/** The errors of the Step Functions API, named as the SDK names them. */
export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'StateMachineDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidExecutionInput'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException';

export class SfnError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Not in AWS's answer: the state the execution last entered. */
  currentState?: string;
  /** Not in AWS's answer: state transitions so far (entries and retries). */
  stateTransitions: number;
  /**
   * Not in AWS's answer: set while the current state waits, its work done: for a callback
   * (the task's function has run, the token is out) or for a timer (a Wait state).
   */
  waiting?: 'CALLBACK' | 'TIMER';
}

export type ExecutionListItem = Pick<ExecutionDescription, 'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate' | 'currentState'>;

export interface LocalStepFunctions {
  readonly stateMachineArn: string;
  readonly timeScale: number;
  executionArn(name: string): string;
  startExecution(req: { stateMachineArn?: string; name?: string; input?: string }): Promise<{ executionArn: string; startDate: Date }>;
  /** `output` is JSON text, as SendTaskSuccess carries it. */
  sendTaskSuccess(taskToken: string, output: string): Promise<void>;
  sendTaskFailure(taskToken: string, error?: string, cause?: string): Promise<void>;
  sendTaskHeartbeat(taskToken: string): Promise<void>;
  describeExecution(executionArn: string): Promise<ExecutionDescription>;
  getExecutionHistory(
    executionArn: string,
    opts?: { maxResults?: number; reverseOrder?: boolean; nextToken?: string },
  ): Promise<{ events: LocalHistoryEvent[]; nextToken?: string }>;
  listExecutions(opts?: { statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }): Promise<{ executions: ExecutionListItem[]; nextToken?: string }>;
  stopExecution(executionArn: string, opts?: { error?: string; cause?: string }): Promise<{ stopDate: Date }>;
  /**
   * Not in AWS's API: the execution's current timer ends now, as if its time had come. A
   * callback with a timeout times out (States.Timeout, caught as on AWS); a Wait ends. The
   * local way to skip a 72-hour deadline without compressing every other timer too.
   * Refused (ValidationException) unless the execution waits on such a timer.
   */
  fireTimer(executionArn: string): Promise<{ state: string }>;
  /** Continues every RUNNING execution of the store from the state it was in; returns their names. */
  resumeAll(): Promise<string[]>;
  /** Stops running (executions stay RUNNING in the store, for a later resume) after the last writes. */
  stop(): Promise<void>;
  /** Resolves once every running execution waits (for a callback or a Wait) and every write is done. */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** Resolves once the execution has `status` (or satisfies the predicate). */
  waitFor(executionArn: string, until: ExecutionStatus | ((d: ExecutionDescription) => boolean), timeoutMs?: number): Promise<ExecutionDescription>;
}

const decodePage = (token: string | undefined): number => {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new SfnError('ValidationException', 'Invalid nextToken');
  return n;
};

/** One page of a list, with AWS's default and maximum page sizes; the token is an opaque offset. */
export const page = <T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } => {
  const from = decodePage(nextToken);
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const slice = items.slice(from, from + size);
  return { items: slice, ...(from + size < items.length ? { nextToken: Buffer.from(String(from + size)).toString('base64url') } : {}) };
};
