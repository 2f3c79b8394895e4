/**
 * The state machine's definition as the library runs it. Each execution runs its own copy, in
 * which a Task's `TimeoutSeconds` is a getter (the scaled, and after a resume the remaining,
 * time: the library's own timer fires and raises its own States.Timeout); `TimeoutSecondsPath`
 * becomes an extra Parameters entry, evaluated against the state's input; a Wait state becomes
 * a hidden Task of the same name (so the wait knows its input); retry intervals are scaled.
 */
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import type { StepHandler } from './api';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type StateDef = Record<string, unknown> & { Type: string };
export interface Definition {
  StartAt: string;
  States: Record<string, StateDef>;
  TimeoutSeconds?: number;
  [k: string]: unknown;
}

export type TaskKind = 'invoke' | 'callback' | 'function';
export interface TaskInfo {
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
export const WAIT_TIMER_MARGIN_MS = 60_000;
const SUPPORTED_TYPES = new Set(['Task', 'Wait', 'Choice', 'Pass', 'Succeed', 'Fail']);

const stepOf = (ref: unknown): string | undefined => {
  if (typeof ref !== 'string') return undefined;
  return PLACEHOLDER.exec(ref)?.[1] ?? LAMBDA_ARN.exec(ref)?.[1] ?? (/^[A-Za-z0-9_-]+$/.test(ref) ? ref : undefined);
};

export const analyseTasks = (definition: Definition, handlers: Record<string, StepHandler>): Map<string, TaskInfo> => {
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

export interface LibraryTiming {
  /** The library's timeout of the task about to start, in seconds (set by that task as it starts). */
  taskTimeoutSeconds: () => number | undefined;
  retryTimeScale: number;
  /** The library's timeout of the whole execution, in seconds, given the definition's TimeoutSeconds. */
  executionTimeoutSeconds: (totalSeconds: number) => number;
}

/** The copy of the definition an execution runs, starting at `startAt`. */
export const libraryDefinition = (definition: Definition, startAt: string, timing: LibraryTiming): StateMachineDefinition => {
  const def = JSON.parse(JSON.stringify(definition)) as Definition;
  def.StartAt = startAt;
  const libTimeout = {
    get: timing.taskTimeoutSeconds,
    enumerable: true,
    configurable: true,
  };
  const scaleRetry = (retry: unknown): Record<string, unknown>[] =>
    ((retry as Record<string, unknown>[] | undefined) ?? []).map((r) => ({
      ...r,
      IntervalSeconds: ((r.IntervalSeconds as number | undefined) ?? 1) / timing.retryTimeScale,
      ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: (r.MaxDelaySeconds as number) / timing.retryTimeScale } : {}),
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
      get: () => timing.executionTimeoutSeconds(total),
      enumerable: true,
    });
  }
  return def as unknown as StateMachineDefinition;
};
