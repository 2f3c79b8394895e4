/** What the runner and its states share about the library: its errors, promises, task tokens and timers. */
import { randomBytes } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Json } from './asl';
import { MAX_TIMER_MS } from './time-scale';

/** An error the library neither retries nor catches (a stopped runner, a States.Runtime). */
export const fatal = (name: string, message: string): Error => Object.assign(new Error(message), { name, isRetryable: false, isCatchable: false });
export const stoppedError = () => fatal('Local.RunnerStopped', 'The local Step Functions service stopped');

/** A handler's error as a task failure: its name is the error Retry and Catch see; the cause is Lambda-like. */
export const taskError = (e: unknown): Error => {
  const err = e instanceof Error ? e : new Error(String(e));
  const name = err.name || 'Error';
  return Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: err.message })), { name });
};

export const deferred = <T>() => {
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
export const handled = <T>(attempt: () => Promise<T>): Promise<T> => {
  const p = attempt();
  p.catch(() => undefined);
  return p;
};

/** A promise that never settles: for a task attempt the library has abandoned. */
export const never = () => new Promise<never>(() => undefined);

export const json = (value: unknown): Json => (value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json));

/** Task tokens: long and random like AWS's, naming their execution so a stale one is told apart from garbage. */
export const newToken = (executionName: string): string =>
  `${Buffer.from(JSON.stringify({ v: 1, e: executionName })).toString('base64url')}.${randomBytes(360).toString('base64url')}`;
export const tokenExecution = (token: string): string | undefined => {
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
export const libSeconds = (ms: number): number => Math.min(MAX_TIMER_MS - 1, Math.max(1, ms)) / 1000;

/**
 * An instance of the library's own States.Timeout error. Catch and Retry tell a timeout from
 * a task failure by its class (States.TaskFailed must not match it), which the library does
 * not export: one is taken from a one-state machine whose task times out after 1 ms.
 */
let timeoutClass: Promise<new () => Error> | undefined;
export const libraryTimeout = async (): Promise<Error> => {
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
