/**
 * The executions the local Step Functions service holds, and what every part of it does to one:
 * record a history event, persist (every change is written, coalesced; a task waits for the write
 * of its entry, so a restart resumes from the stored state), hand out and settle task tokens, finish.
 */
import { EventEmitter } from 'node:events';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { LocalStepFunctionsOptions } from './api';
import { analyseTasks, type Definition } from './asl';
import { newToken, stoppedError } from './library';
import { memoryExecutionStore, type ExecutionRecord, type ExecutionStatus, type LocalHistoryEvent } from './store';

const SETTLED_TOKENS_KEPT = 10_000;
const MEMORY_HISTORY_LIMIT = 5_000;

export interface Run {
  detached: boolean;
  abort: () => void;
}

export interface PendingCallback {
  token: string;
  state: string;
  exec: Execution;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  /** Set by fireTimer: the rejection is the timeout, recorded as TaskTimedOut, not TaskFailed. */
  timerFired?: boolean;
}

export interface ActiveWait {
  state: string;
  startedAt: number;
  cancel: () => void;
  reject: (error: Error) => void;
  /** Ends the wait now (fireTimer). */
  fire: () => void;
}

export interface Execution {
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

export const createEngine = (opts: LocalStepFunctionsOptions) => {
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

  const newExecution = (record: ExecutionRecord): Execution => ({ record, parked: false, dirty: false });

  return {
    definition,
    stateMachineArn,
    timeScale,
    retryTimeScale,
    store,
    log,
    handlers,
    now,
    arnParts,
    region,
    stateMachineName,
    executionPrefix,
    executionArn,
    tasks,
    stateType,
    execs,
    tokens,
    settledTokens,
    changes,
    persist,
    flush,
    changed,
    isCurrent,
    addEvent,
    record,
    ready,
    closePending,
    release,
    detach,
    finish,
    contextFor,
    takeResume,
    newExecution,
    claimToken,
  };
};

export type Engine = ReturnType<typeof createEngine>;
