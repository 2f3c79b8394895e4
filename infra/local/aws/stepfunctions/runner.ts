/**
 * The local Step Functions service's engine: runs executions of one state machine with
 * `aws-local-stepfunctions`, calling the step handlers in-process, and keeps the executions as
 * Step Functions would (status, history, task tokens), persisted so a restart resumes them.
 * This module is its API; asl.ts the definition as the library runs it, states.ts the Task and
 * Wait states, engine.ts the executions and their persistence, launch.ts a run of the library.
 */
import { randomUUID } from 'node:crypto';
import { SfnError, page, type ExecutionDescription, type LocalStepFunctions, type LocalStepFunctionsOptions } from './api';
import type { Json } from './asl';
import { createEngine, type Execution, type PendingCallback } from './engine';
import { launcher } from './launch';
import { libraryTimeout, tokenExecution } from './library';
import type { ExecutionSummary } from './store';

export { SfnError } from './api';
export type { ExecutionDescription, ExecutionListItem, LocalStepFunctions, LocalStepFunctionsOptions, SfnErrorCode, StepHandler } from './api';

// eslint-disable-next-line no-control-regex -- AWS refuses control characters in execution names, so the pattern must name them
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export const createLocalStepFunctions = (opts: LocalStepFunctionsOptions): LocalStepFunctions => {
  const engine = createEngine(opts);
  const { definition, stateMachineArn, timeScale, store, now, arnParts, executionPrefix, executionArn, tasks, execs, tokens, settledTokens, changes } = engine;
  const { flush, addEvent, closePending, detach, finish, newExecution } = engine;
  const launch = launcher(engine);
  let stopped = false;

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
  /** What DescribeExecution and ListExecutions both answer of an execution. */
  const summary = (r: ExecutionSummary) => ({
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
  });
  const describe = (r: ExecutionSummary, exec?: Execution): ExecutionDescription => ({
    ...summary(r),
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
          ...summary(r),
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
