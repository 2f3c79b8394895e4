/** Starts an execution's run of the library from a state, and turns the library's event log into Step Functions' history. */
import { StateMachine } from 'aws-local-stepfunctions';
import { libraryDefinition, type Json } from './asl';
import type { Engine, Execution, Run } from './engine';
import { libSeconds } from './library';
import { taskStates } from './states';
import { scaleMs } from './time-scale';

export const launcher = (engine: Engine) => {
  const { definition, now, timeScale, retryTimeScale, log, tasks, stateType, persist, isCurrent, addEvent, finish, contextFor } = engine;
  const { runTask, runWait, failureHook } = taskStates(engine);

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
    const timing = {
      taskTimeoutSeconds: () => exec.libTimeoutSeconds,
      retryTimeScale,
      executionTimeoutSeconds: (total: number) => libSeconds(exec.record.startDate + scaleMs(total * 1000, timeScale) - now()),
    };
    const machine = new StateMachine(libraryDefinition(definition, startAt, timing), { validationOptions: { noValidate: true } });
    const execution = machine.run(input, { overrides, context: contextFor(exec), noThrowOnAbort: true });
    run.abort = execution.abort;
    // The outcome is read from the event log.
    execution.result.catch(() => undefined);
    consume(exec, run, execution.eventLogs, resumedState).catch((e: unknown) => log(`[local-sfn] execution ${exec.record.name}: ${(e as Error).stack ?? String(e)}`));
  };

  return launch;
};
