/**
 * The local Step Functions service's engine: runs executions of one state machine with
 * `aws-local-stepfunctions`, calling the step handlers in-process, and keeps the executions
 * as Step Functions would (status, history, task tokens), persisted so a restart resumes them.
 *
 * How the library is driven (each execution runs its own copy of the definition):
 * - Task states call `handlers[step]` through `taskResourceLocalHandlers`; the step comes from
 *   the `${<step>FunctionArn}` placeholder. `lambda:invoke` returns `{ Payload: result }`,
 *   so the definition's ResultSelector works unchanged; a handler's error keeps its `name`.
 * - `.waitForTaskToken` tasks get a fresh token through `$$.Task.Token` (a getter on the
 *   context object), call the handler, then wait for SendTaskSuccess/SendTaskFailure.
 * - Timeouts: the copy's `TimeoutSeconds` is a getter returning the scaled (and, after a
 *   resume, remaining) time, so the library's own timer is the one that fires and its own
 *   `States.Timeout` error is raised (which `States.TaskFailed` must not match, as on AWS).
 *   `TimeoutSecondsPath` is evaluated by the library as an extra Parameters entry, against the
 *   state's input (the library itself would evaluate it against the Parameters' result).
 * - Wait states run as a hidden task of the same name that sleeps (T - entry) / scale, so the
 *   wait knows its input (the library's waitTimeOverrides only know the state's name).
 * - Retry intervals: the copy's `IntervalSeconds` and `MaxDelaySeconds` are divided by the
 *   scale; BackoffRate and JitterStrategy are applied by the library as on AWS.
 * - Every state entry is written to the store before the state's handler runs; `resumeAll()`
 *   starts a copy whose `StartAt` is the stored state, with the input it had there. A callback
 *   wait is entered again (its function runs again, with a new token) with the time it had
 *   left; a Wait keeps its end. A token issued before the restart is then TaskDoesNotExist.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { longSleep, MAX_TIMER_MS, scaleMs } from './time-scale';
import { memoryExecutionStore, type ExecutionRecord, type ExecutionStatus, type ExecutionStore, type ExecutionSummary, type LocalHistoryEvent } from './store';

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

// ───────────────────────────────────────────────────────────── definition analysis

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type StateDef = Record<string, unknown> & { Type: string };
interface Definition {
  StartAt: string;
  States: Record<string, StateDef>;
  TimeoutSeconds?: number;
  [k: string]: unknown;
}

type TaskKind = 'invoke' | 'callback' | 'function';
interface TaskInfo {
  kind: TaskKind;
  step: string;
  resource: string;
  timed: boolean;
}

const INVOKE = /^arn:aws:states:[^:]*:[^:]*:lambda:invoke(\.waitForTaskToken)?$/;
const PLACEHOLDER = /^\$\{([A-Za-z0-9_-]+)FunctionArn\}$/;
const LAMBDA_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?$/;
/** The resource of the hidden task a Wait state runs as. */
const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::local:wait';
/** How much later than a Wait's own end the library's timer for the hidden task is set. */
const WAIT_TIMER_MARGIN_MS = 60_000;
const SUPPORTED_TYPES = new Set(['Task', 'Wait', 'Choice', 'Pass', 'Succeed', 'Fail']);

const stepOf = (ref: unknown): string | undefined => {
  if (typeof ref !== 'string') return undefined;
  return PLACEHOLDER.exec(ref)?.[1] ?? LAMBDA_ARN.exec(ref)?.[1] ?? (/^[A-Za-z0-9_-]+$/.test(ref) ? ref : undefined);
};

const analyseTasks = (definition: Definition, handlers: Record<string, StepHandler>): Map<string, TaskInfo> => {
  const tasks = new Map<string, TaskInfo>();
  for (const [name, state] of Object.entries(definition.States)) {
    if (!SUPPORTED_TYPES.has(state.Type)) throw new Error(`State ${name}: the local runner does not support ${state.Type} states`);
    if (state.Type !== 'Task') continue;
    const resource = String(state.Resource);
    const invoke = INVOKE.exec(resource);
    const params = state.Parameters as Record<string, unknown> | undefined;
    let info: TaskInfo;
    if (invoke) {
      const step = stepOf(params?.FunctionName);
      if (!step) throw new Error(`State ${name}: Parameters.FunctionName must name a step as \${<step>FunctionArn}`);
      info = { kind: invoke[1] ? 'callback' : 'invoke', step, resource: invoke[1] ? 'invoke.waitForTaskToken' : 'invoke', timed: false };
    } else {
      const step = stepOf(resource);
      if (!step) throw new Error(`State ${name}: the local runner cannot run the resource ${resource}`);
      info = { kind: 'function', step, resource: 'invoke', timed: false };
    }
    if (!handlers[info.step]) throw new Error(`State ${name}: no handler for step "${info.step}"`);
    info.timed = state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined;
    tasks.set(name, info);
  }
  return tasks;
};

// ───────────────────────────────────────────────────────────── errors inside executions

/** An error the library neither retries nor catches (a stopped runner, a States.Runtime). */
const fatal = (name: string, message: string): Error => Object.assign(new Error(message), { name, isRetryable: false, isCatchable: false });
const stoppedError = () => fatal('Local.RunnerStopped', 'The local Step Functions service stopped');

/** A handler's error as a task failure: its name is the error Retry and Catch see; the cause is Lambda-like. */
const taskError = (e: unknown): Error => {
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name || 'Error';
  return Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: err.message })), { name });
};

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/**
 * Runs a task attempt for the library. The library attaches its handlers at once; the no-op
 * one added here only keeps an attempt it abandoned (stopped runner) from being "unhandled".
 */
const handled = <T>(attempt: () => Promise<T>): Promise<T> => {
  const p = attempt();
  p.catch(() => undefined);
  return p;
};

/** A promise that never settles: for a task attempt the library has abandoned. */
const never = () => new Promise<never>(() => undefined);

const json = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

/** Task tokens: long and random like AWS's, naming their execution so a stale one is told apart from garbage. */
const newToken = (executionName: string): string => `${Buffer.from(JSON.stringify({ v: 1, e: executionName })).toString('base64url')}.${randomBytes(360).toString('base64url')}`;
const tokenExecution = (token: string): string | undefined => {
  const [head, body] = token.split('.');
  if (!head || !body || body.length < 100) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { v?: number; e?: unknown };
    return parsed.v === 1 && typeof parsed.e === 'string' ? parsed.e : undefined;
  } catch {
    return undefined;
  }
};

/** The library's timers take seconds; Node's limit applies (a longer wait fires early: see the Wait's retry). */
const libSeconds = (ms: number): number => Math.min(MAX_TIMER_MS - 1, Math.max(1, ms)) / 1000;

// eslint-disable-next-line no-control-regex -- AWS refuses control characters in execution names, so the pattern must name them
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const SETTLED_TOKENS_KEPT = 10_000;
const MEMORY_HISTORY_LIMIT = 5_000;

// ───────────────────────────────────────────────────────────── executions

interface Run {
  detached: boolean;
  abort: () => void;
}

interface PendingCallback {
  token: string;
  state: string;
  exec: Execution;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  /** Set by fireTimer: the rejection is the timeout, recorded as TaskTimedOut, not TaskFailed. */
  timerFired?: boolean;
}

interface ActiveWait {
  state: string;
  startedAt: number;
  cancel: () => void;
  reject: (error: Error) => void;
  /** Ends the wait now (fireTimer). */
  fire: () => void;
}

interface Execution {
  record: ExecutionRecord;
  run?: Run;
  pending?: PendingCallback;
  wait?: ActiveWait;
  /** The token `$$.Task.Token` gave the state being entered, until its task claims it. */
  mintedToken?: string;
  /** After a resume: the first entry continues the stored one (its timers count from the stored times). */
  resume?: { state: string; enteredAt?: number; timerStartedAt?: number };
  /** Read by the copy's TimeoutSeconds getters, set by the task about to start. */
  libTimeoutSeconds?: number;
  parked: boolean;
  dirty: boolean;
  writing?: Promise<void>;
}

/**
 * An instance of the library's own States.Timeout error. Catch and Retry tell a timeout from
 * a task failure by its class (States.TaskFailed must not match it), which the library does
 * not export: one is taken from a one-state machine whose task times out after 1 ms.
 */
let timeoutClass: Promise<new () => Error> | undefined;
const libraryTimeout = async (): Promise<Error> => {
  timeoutClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:000000000000:function:probe', TimeoutSeconds: 0.001, End: true } },
      } as unknown as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run({}, { overrides: { taskResourceLocalHandlers: { T: () => never() } }, noThrowOnAbort: true });
    const cause = await run.result.then(
      () => undefined,
      (e: unknown) => (e as { cause?: unknown }).cause,
    );
    if (!(cause instanceof Error) || cause.name !== 'States.Timeout') throw new Error('aws-local-stepfunctions did not time out as expected');
    return cause.constructor as new () => Error;
  })();
  return new (await timeoutClass)();
};

export const createLocalStepFunctions = (opts: LocalStepFunctionsOptions): LocalStepFunctions => {
  // JSON, not structuredClone: under jest the latter makes objects of another realm, which the
  // library (its isPlainObj) would not treat as payload templates.
  const definition = JSON.parse(JSON.stringify(opts.definition)) as Definition;
  const stateMachineArn = opts.stateMachineArn;
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`timeScale must be a number > 0, got ${timeScale}`);
  const retryTimeScale = opts.retryTimeScale ?? timeScale;
  if (!(retryTimeScale > 0) || !Number.isFinite(retryTimeScale)) throw new Error(`retryTimeScale must be a number > 0, got ${retryTimeScale}`);
  const store = opts.store ?? memoryExecutionStore();
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const handlers = opts.handlers;
  const now = opts.now ?? Date.now;

  const arnParts = /^arn:aws[\w-]*:states:([^:]*):(\d*):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (!arnParts) throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  const region = arnParts[1]!;
  const stateMachineName = arnParts[3]!;
  const executionPrefix = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
  const executionArn = (name: string) => `${executionPrefix}${name}`;

  // The definition must be valid ASL (the copies run unvalidated: they hold getters and hidden tasks).
  new StateMachine(definition as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
  const tasks = analyseTasks(definition, handlers);
  const stateType = (name: string): string => definition.States[name]?.Type ?? 'Task';

  const execs = new Map<string, Execution>();
  const tokens = new Map<string, PendingCallback>();
  const settledTokens = new Map<string, 'USED' | 'TIMED_OUT'>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let stopped = false;

  // ── persistence: every change is written, coalesced; a task waits for the write of its entry.
  const persist = (exec: Execution): void => {
    exec.dirty = true;
    if (exec.writing) return;
    exec.writing = (async () => {
      while (exec.dirty) {
        exec.dirty = false;
        try {
          await store.save({ ...exec.record, history: exec.record.history.slice(), updatedAt: now() });
        } catch (e) {
          log(`[local-sfn] could not store execution ${exec.record.name}: ${(e as Error).message}`);
        }
      }
      exec.writing = undefined;
    })();
  };
  const flush = async (exec: Execution): Promise<void> => {
    while (exec.writing) await exec.writing;
  };
  const changed = (exec: Execution) => changes.emit('change', exec);

  const isCurrent = (exec: Execution, run: Run) => exec.run === run && !run.detached;

  const addEvent = (exec: Execution, type: string, details: Record<string, unknown> = {}): void => {
    const id = exec.record.eventCount + 1;
    const event: LocalHistoryEvent = { id, previousEventId: id - 1, timestamp: now(), type, ...details };
    exec.record.history.push(event);
    exec.record.eventCount = id;
    if (exec.record.history.length > MEMORY_HISTORY_LIMIT) exec.record.history.splice(0, exec.record.history.length - MEMORY_HISTORY_LIMIT);
    persist(exec);
    changed(exec);
    if (opts.onEvent) {
      try {
        opts.onEvent(exec.record.name, event);
      } catch (e) {
        log(`[local-sfn] onEvent: ${(e as Error).message}`);
      }
    }
  };
  const record = (exec: Execution, run: Run, type: string, details?: Record<string, unknown>) => {
    if (isCurrent(exec, run)) addEvent(exec, type, details);
  };

  /** Lets the event log catch up (so task events follow their state's entry) and the entry be stored. */
  const ready = async (exec: Execution) => {
    await new Promise((r) => setImmediate(r));
    await flush(exec);
  };

  const closePending = (p: PendingCallback, outcome: 'USED' | 'TIMED_OUT') => {
    tokens.delete(p.token);
    settledTokens.set(p.token, outcome);
    if (settledTokens.size > SETTLED_TOKENS_KEPT) settledTokens.delete(settledTokens.keys().next().value!);
    if (p.exec.pending === p) p.exec.pending = undefined;
    p.exec.parked = false;
  };

  /** Ends what an execution waits for (its run is going away). */
  const release = (exec: Execution, outcome: 'USED' | 'DROP') => {
    const p = exec.pending;
    if (p) {
      if (outcome === 'USED') closePending(p, 'USED');
      else {
        tokens.delete(p.token);
        exec.pending = undefined;
      }
      p.reject(stoppedError());
    }
    const w = exec.wait;
    if (w) {
      exec.wait = undefined;
      w.cancel();
      w.reject(stoppedError());
    }
    exec.parked = false;
    exec.mintedToken = undefined;
  };

  const detach = (exec: Execution, outcome: 'USED' | 'DROP') => {
    const run = exec.run;
    if (run) {
      run.detached = true;
      exec.run = undefined;
      run.abort();
    }
    release(exec, outcome);
  };

  const finish = (exec: Execution, status: Exclude<ExecutionStatus, 'RUNNING'>, fields: Partial<ExecutionRecord>, event: [string, Record<string, unknown>]) => {
    detach(exec, 'USED');
    Object.assign(exec.record, { status, stopDate: now(), timerStartedAt: undefined, taskToken: undefined, ...fields });
    addEvent(exec, event[0], event[1]);
  };

  // ── the context object: `$$.Task.Token` mints a token for the state being entered.
  const mintToken = (exec: Execution): string => {
    exec.mintedToken ??= newToken(exec.record.name);
    return exec.mintedToken;
  };
  const claimToken = (exec: Execution): string => {
    const token = exec.mintedToken ?? newToken(exec.record.name);
    exec.mintedToken = undefined;
    return token;
  };
  const contextFor = (exec: Execution) => ({
    Execution: { Id: exec.record.executionArn, Name: exec.record.name, RoleArn: `arn:aws:iam::${arnParts[2]}:role/local-stepfunctions`, RedriveCount: 0 },
    StateMachine: { Id: stateMachineArn, Name: stateMachineName },
    Task: {
      get Token() {
        return mintToken(exec);
      },
    },
  });

  const takeResume = (exec: Execution, state: string) => {
    const r = exec.resume;
    exec.resume = undefined;
    return r?.state === state ? r : undefined;
  };

  // ── Task states
  const runTask =
    (exec: Execution, run: Run, stateName: string, info: TaskInfo) =>
    (input: Json): Promise<Json> => {
      // Synchronous part: the library reads TimeoutSeconds right after calling us.
      exec.libTimeoutSeconds = undefined;
      const token = info.kind === 'callback' ? claimToken(exec) : undefined;
      exec.mintedToken = undefined;
      if (!isCurrent(exec, run)) return Promise.reject(stoppedError());
      const { __local, params } = input as { __local: { timeoutSeconds?: unknown }; params: Json };
      const nowMs = now();
      const resumed = takeResume(exec, stateName);
      const timerStartedAt = (info.kind === 'callback' ? resumed?.timerStartedAt : undefined) ?? nowMs;
      let deadline: number | undefined;
      let timeoutSeconds: number | undefined;
      if (info.timed) {
        const t = __local.timeoutSeconds;
        if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) {
          return Promise.reject(fatal('States.Runtime', `State ${stateName}: the timeout must be an integer >= 1 second, got ${JSON.stringify(t)}`));
        }
        timeoutSeconds = t;
        deadline = timerStartedAt + scaleMs(t * 1000, timeScale);
        exec.libTimeoutSeconds = libSeconds(deadline - nowMs);
      }
      const handler = handlers[info.step]!;
      const resourceType = 'lambda';
      const base = { resourceType, resource: info.resource };

      if (info.kind !== 'callback') {
        return handled(async () => {
          await ready(exec);
          if (!isCurrent(exec, run)) throw stoppedError();
          const payload = info.kind === 'function' ? params : (params as { Payload?: Json } | null)?.Payload;
          record(exec, run, 'TaskScheduled', {
            taskScheduledEventDetails: { ...base, region, parameters: JSON.stringify(params), ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}) },
          });
          record(exec, run, 'TaskStarted', { taskStartedEventDetails: base });
          let result: Json;
          try {
            result = json(await handler(payload));
          } catch (e) {
            const err = taskError(e);
            record(exec, run, 'TaskFailed', { taskFailedEventDetails: { ...base, error: err.name, cause: err.message } });
            throw err;
          }
          const output: Json = info.kind === 'function' ? result : { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
          record(exec, run, 'TaskSucceeded', { taskSucceededEventDetails: { ...base, output: JSON.stringify(output), outputDetails: { truncated: false } } });
          return output;
        });
      }

      // A callback: the token goes to the function, the output comes from SendTaskSuccess. The token
      // is valid from now on: the library's timer (already running) may fire before the function runs.
      const { promise, resolve, reject } = deferred<unknown>();
      promise.catch(() => undefined); // settled maybe before anyone awaits it
      const pending: PendingCallback = { token: token!, state: stateName, exec, resolve, reject };
      exec.pending = pending;
      tokens.set(pending.token, pending);
      const timedOut = () => settledTokens.get(pending.token) === 'TIMED_OUT';
      const expiredOnResume = deadline !== undefined && deadline <= nowMs;
      return handled(async () => {
        await ready(exec);
        if (!isCurrent(exec, run)) throw stoppedError();
        // The library has moved on (see failureHook); nothing of this attempt is left to do.
        if (timedOut()) return never();
        Object.assign(exec.record, { timerStartedAt, taskToken: pending.token });
        record(exec, run, 'TaskScheduled', {
          taskScheduledEventDetails: { ...base, region, parameters: JSON.stringify(params), ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}) },
        });
        record(exec, run, 'TaskStarted', { taskStartedEventDetails: base });
        // The token is stored before the function passes it on, so a resume can give it again.
        await flush(exec);
        // Resumed after its deadline: the timeout decides; the function is not asked again.
        if (!expiredOnResume) {
          let result: Json = null;
          try {
            result = json(await handler((params as { Payload?: Json } | null)?.Payload));
          } catch (e) {
            const err = taskError(e);
            if (exec.pending === pending) {
              closePending(pending, 'USED');
              record(exec, run, 'TaskFailed', { taskFailedEventDetails: { ...base, error: err.name, cause: err.message } });
              throw err;
            }
            // The wait was settled (a callback, the timeout) before the function failed: that outcome stands.
          }
          if (timedOut()) return never();
          record(exec, run, 'TaskSubmitted', {
            taskSubmittedEventDetails: { ...base, output: JSON.stringify({ ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 }), outputDetails: { truncated: false } },
          });
        }
        if (exec.pending === pending) {
          exec.parked = true;
          changed(exec);
        }
        try {
          const output = json(await promise);
          record(exec, run, 'TaskSucceeded', { taskSucceededEventDetails: { ...base, output: JSON.stringify(output), outputDetails: { truncated: false } } });
          return output;
        } catch (e) {
          const err = e as Error;
          if (err.name !== 'Local.RunnerStopped' && !pending.timerFired)
            record(exec, run, 'TaskFailed', { taskFailedEventDetails: { ...base, error: err.name, cause: err.message } });
          throw err;
        }
      });
    };

  // ── Wait states, run as a hidden task of the same name
  const runWait =
    (exec: Execution, run: Run, stateName: string) =>
    (input: Json): Promise<Json> => {
      exec.libTimeoutSeconds = undefined;
      exec.mintedToken = undefined;
      if (!isCurrent(exec, run)) return Promise.reject(stoppedError());
      const { __local, params } = input as { __local: { seconds?: unknown; timestamp?: unknown }; params: Json };
      const nowMs = now();
      // The library's timer ended an attempt of a very long wait (Node's timer limit): continue it.
      const carried = exec.wait?.state === stateName ? exec.wait : undefined;
      if (carried) {
        carried.cancel();
        exec.wait = undefined;
      }
      const resumed = takeResume(exec, stateName);
      const startedAt = carried?.startedAt ?? resumed?.timerStartedAt ?? resumed?.enteredAt ?? nowMs;
      let end: number;
      if (__local.timestamp !== undefined) {
        const at = typeof __local.timestamp === 'string' ? Date.parse(__local.timestamp) : NaN;
        if (Number.isNaN(at)) return Promise.reject(fatal('States.Runtime', `State ${stateName}: ${JSON.stringify(__local.timestamp)} is not a timestamp`));
        end = startedAt + scaleMs(Math.max(0, at - startedAt), timeScale);
      } else {
        const s = __local.seconds;
        if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) {
          return Promise.reject(fatal('States.Runtime', `State ${stateName}: the wait must be an integer >= 0 seconds, got ${JSON.stringify(s)}`));
        }
        end = startedAt + scaleMs(s * 1000, timeScale);
      }
      const left = Math.max(0, end - nowMs);
      exec.libTimeoutSeconds = libSeconds(left + WAIT_TIMER_MARGIN_MS);
      const sleep = longSleep(left);
      const { promise: stoppedPromise, reject } = deferred<never>();
      stoppedPromise.catch(() => undefined); // settled maybe before anyone awaits it
      const { promise: firedPromise, resolve: resolveFired } = deferred<undefined>();
      const fire = () => {
        sleep.cancel();
        resolveFired(undefined);
      };
      const wait: ActiveWait = { state: stateName, startedAt, cancel: sleep.cancel, reject, fire };
      exec.wait = wait;
      return handled(async () => {
        await ready(exec);
        if (isCurrent(exec, run)) {
          exec.record.timerStartedAt = startedAt;
          persist(exec);
          exec.parked = true;
          changed(exec);
        }
        try {
          await Promise.race([sleep.done, stoppedPromise, firedPromise]);
        } finally {
          if (exec.wait === wait) {
            exec.wait = undefined;
            exec.parked = false;
          }
        }
        return params;
      });
    };

  /** The copy of the definition an execution runs, starting at `startAt`. */
  const libraryDefinition = (exec: Execution, startAt: string): StateMachineDefinition => {
    const def = JSON.parse(JSON.stringify(definition)) as Definition;
    def.StartAt = startAt;
    const libTimeout = {
      get: () => exec.libTimeoutSeconds,
      enumerable: true,
      configurable: true,
    };
    const scaleRetry = (retry: unknown): Record<string, unknown>[] =>
      ((retry as Record<string, unknown>[] | undefined) ?? []).map((r) => ({
        ...r,
        IntervalSeconds: ((r.IntervalSeconds as number | undefined) ?? 1) / retryTimeScale,
        ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: (r.MaxDelaySeconds as number) / retryTimeScale } : {}),
      }));
    // Never matches: makes the library look up `retryIntervalOverrides` on every failure (see failureHook).
    const never = { ErrorEquals: ['Local.NeverRetried'], MaxAttempts: 0 };

    for (const [name, state] of Object.entries(def.States)) {
      if (state.Type === 'Task') {
        const { TimeoutSeconds, TimeoutSecondsPath, HeartbeatSeconds: _h, HeartbeatSecondsPath: _hp, Parameters, ...rest } = state;
        const local: Record<string, unknown> = {};
        if (TimeoutSecondsPath !== undefined) local['timeoutSeconds.$'] = TimeoutSecondsPath;
        else if (TimeoutSeconds !== undefined) local.timeoutSeconds = TimeoutSeconds;
        const copy: StateDef = {
          ...rest,
          Type: 'Task',
          Parameters: { __local: local, ...(Parameters !== undefined ? { params: Parameters } : { 'params.$': '$' }) },
          Retry: [...scaleRetry(state.Retry), never],
        };
        Object.defineProperty(copy, 'TimeoutSeconds', libTimeout);
        def.States[name] = copy;
      } else if (state.Type === 'Wait') {
        const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _t, Comment: _c, ...rest } = state;
        const local: Record<string, unknown> = {};
        if (TimestampPath !== undefined) local['timestamp.$'] = TimestampPath;
        else if (SecondsPath !== undefined) local['seconds.$'] = SecondsPath;
        else if (Timestamp !== undefined) local.timestamp = Timestamp;
        else local.seconds = Seconds ?? 0;
        const copy: StateDef = {
          ...rest,
          Type: 'Task',
          Resource: LOCAL_WAIT_RESOURCE,
          Parameters: { __local: local, 'params.$': '$' },
          // A wait longer than Node's timer limit: the library's timer ends the attempt, the retry continues it.
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 0, MaxAttempts: 1_000_000, BackoffRate: 1 }],
        };
        Object.defineProperty(copy, 'TimeoutSeconds', libTimeout);
        def.States[name] = copy;
      }
    }
    if (definition.TimeoutSeconds !== undefined) {
      const total = definition.TimeoutSeconds;
      Object.defineProperty(def, 'TimeoutSeconds', {
        get: () => libSeconds(exec.record.startDate + scaleMs(total * 1000, timeScale) - now()),
        enumerable: true,
      });
    }
    return def as unknown as StateMachineDefinition;
  };

  /**
   * The library reads `retryIntervalOverrides[state]` whenever a state fails, before it
   * retries or catches: if a callback is still waiting then, the library's timer fired.
   */
  const failureHook = (exec: Execution, run: Run) =>
    new Proxy(
      {},
      {
        get: (_target, key) => {
          if (typeof key !== 'string' || !isCurrent(exec, run)) return undefined;
          const p = exec.pending;
          if (p?.state === key) {
            closePending(p, 'TIMED_OUT');
            addEvent(exec, 'TaskTimedOut', {
              taskTimedOutEventDetails: { resourceType: 'lambda', resource: tasks.get(key)?.resource ?? 'invoke', error: 'States.Timeout', cause: 'The task timed out' },
            });
          }
          return undefined;
        },
      },
    );

  interface LibEvent {
    type: string;
    timestamp: number;
    state?: { name: string; input: unknown; output?: unknown };
    output?: unknown;
    Error?: string;
    Cause?: unknown;
  }

  const consume = async (exec: Execution, run: Run, events: AsyncGenerator, resumedState?: string) => {
    let skipEntry = resumedState;
    for await (const raw of events) {
      if (!isCurrent(exec, run)) break;
      const ev = raw as LibEvent;
      const state = ev.state;
      switch (ev.type) {
        case 'StateEntered': {
          if (skipEntry !== undefined && state!.name === skipEntry) {
            // The stored entry continues: no new event, no new transition.
            skipEntry = undefined;
            break;
          }
          skipEntry = undefined;
          const input = JSON.stringify(state!.input ?? null);
          exec.record.stateTransitions += 1;
          // The library stamps its events with Date.now: moved onto the service's clock.
          const enteredAt = ev.timestamp + (now() - Date.now());
          Object.assign(exec.record, { currentState: state!.name, stateInput: input, enteredAt, timerStartedAt: undefined, taskToken: undefined });
          addEvent(exec, `${stateType(state!.name)}StateEntered`, { stateEnteredEventDetails: { name: state!.name, input, inputDetails: { truncated: false } } });
          break;
        }
        case 'StateExited':
          addEvent(exec, `${stateType(state!.name)}StateExited`, {
            stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output ?? null), outputDetails: { truncated: false } },
          });
          break;
        case 'StateRetried':
          exec.record.stateTransitions += 1;
          persist(exec);
          break;
        case 'ExecutionSucceeded': {
          const output = JSON.stringify(ev.output ?? null);
          finish(exec, 'SUCCEEDED', { output }, ['ExecutionSucceeded', { executionSucceededEventDetails: { output, outputDetails: { truncated: false } } }]);
          break;
        }
        case 'ExecutionFailed': {
          const error = ev.Error ?? 'States.Runtime';
          const cause = typeof ev.Cause === 'string' ? ev.Cause : JSON.stringify(ev.Cause ?? '');
          finish(exec, 'FAILED', { error, cause }, ['ExecutionFailed', { executionFailedEventDetails: { error, cause } }]);
          break;
        }
        case 'ExecutionTimeout':
          finish(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' }, [
            'ExecutionTimedOut',
            { executionTimedOutEventDetails: { error: 'States.Timeout' } },
          ]);
          break;
        default:
          // ExecutionStarted is recorded by startExecution; StateFailed/StateCaught have no AWS event
          // (the Task* events and the next state tell it); ExecutionAborted is recorded by stopExecution.
          break;
      }
    }
  };

  const launch = (exec: Execution, startAt: string, input: Json, resumedState?: string) => {
    const run: Run = { detached: false, abort: () => undefined };
    exec.run = run;
    const overrides = {
      taskResourceLocalHandlers: Object.fromEntries([
        ...[...tasks].map(([name, info]) => [name, runTask(exec, run, name, info)] as const),
        ...Object.entries(definition.States)
          .filter(([, s]) => s.Type === 'Wait')
          .map(([name]) => [name, runWait(exec, run, name)] as const),
      ]),
      retryIntervalOverrides: failureHook(exec, run),
    };
    const machine = new StateMachine(libraryDefinition(exec, startAt), { validationOptions: { noValidate: true } });
    const execution = machine.run(input, { overrides, context: contextFor(exec), noThrowOnAbort: true });
    run.abort = execution.abort;
    // The outcome is read from the event log.
    execution.result.catch(() => undefined);
    consume(exec, run, execution.eventLogs, resumedState).catch((e: unknown) => log(`[local-sfn] execution ${exec.record.name}: ${(e as Error).stack ?? String(e)}`));
  };

  const newExecution = (record: ExecutionRecord): Execution => ({ record, parked: false, dirty: false });

  // ── lookups
  const nameOf = (arn: unknown): string => {
    if (typeof arn !== 'string' || !arn.startsWith('arn:')) throw new SfnError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
    if (!arn.startsWith(executionPrefix)) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return arn.slice(executionPrefix.length);
  };
  const load = async (name: string): Promise<Execution | undefined> => {
    const known = execs.get(name);
    if (known) return known;
    const stored = await store.get(name);
    if (stored?.stateMachineArn !== stateMachineArn) return undefined;
    // Another call may have loaded it meanwhile.
    const again = execs.get(name);
    if (again) return again;
    const exec = newExecution(stored);
    execs.set(name, exec);
    return exec;
  };
  const mustLoad = async (arn: string): Promise<Execution> => {
    const exec = await load(nameOf(arn));
    if (!exec) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return exec;
  };
  const describe = (r: ExecutionSummary, exec?: Execution): ExecutionDescription => ({
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
    input: r.input,
    ...(r.output !== undefined ? { output: r.output } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.cause !== undefined ? { cause: r.cause } : {}),
    ...(r.currentState !== undefined ? { currentState: r.currentState } : {}),
    stateTransitions: r.stateTransitions,
    ...(exec?.run && exec.parked ? { waiting: exec.pending ? ('CALLBACK' as const) : ('TIMER' as const) } : {}),
  });
  const pending = (taskToken: unknown): PendingCallback => {
    if (typeof taskToken !== 'string' || taskToken.length === 0 || taskToken.length > 2048) throw new SfnError('InvalidToken', 'Invalid Task Token');
    const p = tokens.get(taskToken);
    if (p) return p;
    const settled = settledTokens.get(taskToken);
    if (settled === 'TIMED_OUT') throw new SfnError('TaskTimedOut', 'Task Timed Out');
    if (settled || tokenExecution(taskToken) !== undefined) throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    throw new SfnError('InvalidToken', 'Invalid Task Token');
  };
  const decodePage = (token: string | undefined): number => {
    if (token === undefined) return 0;
    const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new SfnError('ValidationException', 'Invalid nextToken');
    return n;
  };
  const page = <T>(items: T[], maxResults: number | undefined, nextToken: string | undefined): { items: T[]; nextToken?: string } => {
    const from = decodePage(nextToken);
    const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
    const slice = items.slice(from, from + size);
    return { items: slice, ...(from + size < items.length ? { nextToken: Buffer.from(String(from + size)).toString('base64url') } : {}) };
  };

  const idle = () => [...execs.values()].every((e) => !e.run || (e.parked && !e.writing && !e.dirty));
  const nextChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        changes.off('change', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      changes.on('change', done);
    });

  const api: LocalStepFunctions = {
    stateMachineArn,
    timeScale,
    executionArn,

    async startExecution(req) {
      if (stopped) throw new Error('The local Step Functions service is stopped');
      if (req.stateMachineArn !== undefined && req.stateMachineArn !== stateMachineArn) {
        if (!/^arn:aws[\w-]*:states:[^:]*:\d*:stateMachine:[^:]+$/.test(req.stateMachineArn)) throw new SfnError('InvalidArn', `Invalid Arn: '${req.stateMachineArn}'`);
        throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
      }
      const name = req.name ?? randomUUID();
      if (!NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
      const inputText = req.input ?? '{}';
      let input: Json;
      try {
        input = JSON.parse(inputText) as Json;
      } catch {
        throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not JSON');
      }
      await load(name);
      // Looked up again after the await: a concurrent start of the same name may have won.
      const existing = execs.get(name);
      if (existing) {
        // As on AWS: the same name and input while RUNNING is the same execution; otherwise a conflict.
        const same = existing.record.status === 'RUNNING' && JSON.stringify(JSON.parse(existing.record.input)) === JSON.stringify(input);
        if (same) return { executionArn: existing.record.executionArn, startDate: new Date(existing.record.startDate) };
        throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn(name)}'`);
      }
      const startDate = now();
      const exec = newExecution({
        name,
        executionArn: executionArn(name),
        stateMachineArn,
        status: 'RUNNING',
        input: inputText,
        startDate,
        stateTransitions: 0,
        eventCount: 0,
        history: [],
        updatedAt: startDate,
      });
      execs.set(name, exec);
      addEvent(exec, 'ExecutionStarted', {
        executionStartedEventDetails: { input: inputText, inputDetails: { truncated: false }, roleArn: `arn:aws:iam::${arnParts[2]}:role/local-stepfunctions` },
      });
      launch(exec, definition.StartAt, input);
      await flush(exec);
      return { executionArn: exec.record.executionArn, startDate: new Date(startDate) };
    },

    async sendTaskSuccess(taskToken, output) {
      const p = pending(taskToken);
      let parsed: unknown;
      try {
        parsed = JSON.parse(output);
      } catch {
        throw new SfnError('InvalidOutput', 'Invalid Output: the output is not JSON');
      }
      closePending(p, 'USED');
      p.resolve(parsed);
    },

    async sendTaskFailure(taskToken, error, cause) {
      const p = pending(taskToken);
      closePending(p, 'USED');
      p.reject(Object.assign(new Error(cause ?? ''), { name: error ?? '' }));
    },

    async sendTaskHeartbeat(taskToken) {
      pending(taskToken);
    },

    async describeExecution(arn) {
      const exec = await mustLoad(arn);
      return describe(exec.record, exec);
    },

    async getExecutionHistory(arn, o = {}) {
      const exec = await mustLoad(arn);
      const events = exec.record.history.slice();
      if (o.reverseOrder) events.reverse();
      const { items, nextToken } = page(events, o.maxResults, o.nextToken);
      return { events: items, ...(nextToken ? { nextToken } : {}) };
    },

    async listExecutions(o = {}) {
      const byName = new Map<string, ExecutionSummary>();
      for (const r of await store.list(o.statusFilter ? { status: o.statusFilter } : {})) byName.set(r.name, r);
      // What this process holds is newer than what the store has (or has not yet written).
      for (const e of execs.values()) {
        if (!o.statusFilter || e.record.status === o.statusFilter) byName.set(e.record.name, e.record);
        else byName.delete(e.record.name);
      }
      const all = [...byName.values()].sort((a, b) => b.startDate - a.startDate || (a.name < b.name ? 1 : -1));
      const { items, nextToken } = page(all, o.maxResults, o.nextToken);
      return {
        executions: items.map((r) => ({
          executionArn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: new Date(r.startDate),
          ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
          ...(r.currentState !== undefined ? { currentState: r.currentState } : {}),
        })),
        ...(nextToken ? { nextToken } : {}),
      };
    },

    async stopExecution(arn, o = {}) {
      const exec = await mustLoad(arn);
      if (exec.record.status === 'RUNNING') {
        finish(exec, 'ABORTED', { ...(o.error !== undefined ? { error: o.error } : {}), ...(o.cause !== undefined ? { cause: o.cause } : {}) }, [
          'ExecutionAborted',
          { executionAbortedEventDetails: { ...(o.error !== undefined ? { error: o.error } : {}), ...(o.cause !== undefined ? { cause: o.cause } : {}) } },
        ]);
        await flush(exec);
      }
      return { stopDate: new Date(exec.record.stopDate ?? now()) };
    },

    async fireTimer(arn) {
      const exec = await mustLoad(arn);
      const { status: st, currentState } = exec.record;
      const notWaiting = () => new SfnError('ValidationException', `Execution ${exec.record.name} does not wait on a timer (${st} in ${currentState ?? '-'})`);
      if (st !== 'RUNNING' || !exec.run || !exec.parked) throw notWaiting();
      if (exec.wait) {
        exec.wait.fire();
        return { state: exec.wait.state };
      }
      const p = exec.pending;
      if (!p || !tasks.get(p.state)?.timed) throw notWaiting();
      const timeout = await libraryTimeout();
      // Checked again after the await: a callback may have settled the wait meanwhile.
      if (exec.pending !== p) throw notWaiting();
      p.timerFired = true;
      p.reject(timeout);
      return { state: p.state };
    },

    async resumeAll() {
      if (stopped) throw new Error('The local Step Functions service is stopped');
      const resumed: string[] = [];
      for (const summary of await store.list({ status: 'RUNNING' })) {
        if (summary.stateMachineArn !== stateMachineArn || execs.get(summary.name)?.run) continue;
        const stored = await store.get(summary.name);
        if (stored?.status !== 'RUNNING') continue;
        const exec = execs.get(stored.name) ?? newExecution(stored);
        exec.record = stored;
        execs.set(stored.name, exec);
        const at = stored.currentState;
        if (at === undefined) {
          // Stopped before entering its first state: it starts again.
          launch(exec, definition.StartAt, JSON.parse(stored.input) as Json);
        } else if (!definition.States[at]) {
          const cause = `The state ${at} this execution was in is not in the definition any more`;
          finish(exec, 'FAILED', { error: 'States.Runtime', cause }, ['ExecutionFailed', { executionFailedEventDetails: { error: 'States.Runtime', cause } }]);
          continue;
        } else {
          exec.resume = {
            state: at,
            ...(stored.enteredAt !== undefined ? { enteredAt: stored.enteredAt } : {}),
            ...(stored.timerStartedAt !== undefined ? { timerStartedAt: stored.timerStartedAt } : {}),
          };
          launch(exec, at, JSON.parse(stored.stateInput ?? stored.input) as Json, at);
        }
        resumed.push(stored.name);
      }
      return resumed;
    },

    async stop() {
      stopped = true;
      for (const exec of execs.values()) detach(exec, 'DROP');
      await Promise.all([...execs.values()].map(flush));
      changes.emit('change');
    },

    async whenIdle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (idle()) {
          await Promise.all([...execs.values()].map(flush));
          await new Promise((r) => setImmediate(r));
          if (idle()) return;
        }
        if (Date.now() > deadline) throw new Error(`The local Step Functions service was not idle within ${timeoutMs} ms`);
        await nextChange(Math.min(50, Math.max(1, deadline - Date.now())));
      }
    },

    async waitFor(arn, until, timeoutMs = 10_000) {
      const test = typeof until === 'string' ? (d: ExecutionDescription) => d.status === until : until;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await api.describeExecution(arn);
        if (test(d)) {
          // What was waited for is stored too.
          const exec = execs.get(d.name);
          if (exec) await flush(exec);
          return d;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `Execution ${d.name} did not reach ${typeof until === 'string' ? until : 'the expected state'} within ${timeoutMs} ms (now ${d.status} in ${d.currentState ?? '-'})`,
          );
        }
        await nextChange(Math.min(50, Math.max(1, deadline - Date.now())));
      }
    },
  };
  return api;
};
