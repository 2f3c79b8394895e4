/**
 * The states that wait, as the library runs them. A Task calls its step's handler in-process
 * (`lambda:invoke` answers `{ Payload: result }`, so the definition's ResultSelector works
 * unchanged; a handler's error keeps its `name`). A `.waitForTaskToken` Task gets a fresh token
 * through `$$.Task.Token`, calls the handler, then waits for SendTaskSuccess/SendTaskFailure.
 * A Wait runs as a hidden Task of the same name that sleeps (end - entry) / scale. After a
 * resume, a callback's function runs again (new token) with the time it had left; a Wait keeps its end.
 */
import { WAIT_TIMER_MARGIN_MS, type Json, type TaskInfo } from './asl';
import type { ActiveWait, Engine, Execution, PendingCallback, Run } from './engine';
import { deferred, fatal, handled, json, libSeconds, never, stoppedError, taskError } from './library';
import { longSleep, scaleMs } from './time-scale';

export const taskStates = (engine: Engine) => {
  const { now, timeScale, handlers, region, tasks, tokens, settledTokens } = engine;
  const { persist, flush, changed, isCurrent, addEvent, record, ready, closePending, claimToken, takeResume } = engine;

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

  return { runTask, runWait, failureHook };
};
