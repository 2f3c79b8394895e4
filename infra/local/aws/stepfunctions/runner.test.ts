/** The runner on small definitions: the ASL behaviours the booking workflow does not exercise. */
import { createLocalStepFunctions, type LocalStepFunctions, type StepHandler } from './runner';
import { memoryExecutionStore } from './store';

const ARN = 'arn:aws:states:eu-west-1:000000000000:stateMachine:tiny';
const runners: LocalStepFunctions[] = [];

afterAll(async () => {
  for (const r of runners) await r.stop();
});

const runner = (definition: object, handlers: Record<string, StepHandler> = {}, timeScale = 1000) => {
  const r = createLocalStepFunctions({ definition, stateMachineArn: ARN, handlers, timeScale, store: memoryExecutionStore() });
  runners.push(r);
  return r;
};

const task = (step: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: `\${${step}FunctionArn}`, 'Payload.$': '$' },
  ResultSelector: { 'value.$': '$.Payload' },
  ...extra,
});

describe('The local runner', () => {
  it('scales Seconds and SecondsPath waits', async () => {
    // Prepare: 20 s + 30 s at scale 1000 = 50 ms (unscaled, they would outlast waitFor's 10 s)
    const r = runner({
      StartAt: 'Fixed',
      States: {
        Fixed: { Type: 'Wait', Seconds: 20, Next: 'FromInput' },
        FromInput: { Type: 'Wait', SecondsPath: '$.seconds', End: true },
      },
    });

    // Act
    const { executionArn } = await r.startExecution({ name: 'waits', input: JSON.stringify({ seconds: 30 }) });
    const done = await r.waitFor(executionArn, 'SUCCEEDED');

    // Assess
    expect(JSON.parse(done.output!)).toEqual({ seconds: 30 });
    const events = (await r.getExecutionHistory(executionArn)).events;
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
    // The waits, one after the other, lasted their scaled times at least (less timer rounding),
    // however slow the machine: the execution's start is written before the first begins.
    expect(events[5]!.timestamp - events[0]!.timestamp).toBeGreaterThanOrEqual(20 + 30 - 2);
  });

  it('passes a thrown error on under its own name, for Catch to route', async () => {
    // Prepare
    class SlotTaken extends Error {
      override name = 'SlotTaken';
    }
    const r = runner(
      {
        StartAt: 'Book',
        States: {
          Book: task('book', { Catch: [{ ErrorEquals: ['SlotTaken'], ResultPath: '$.error', Next: 'Taken' }], End: true }),
          Taken: { Type: 'Fail', Error: 'Taken', Cause: 'The slot was taken' },
        },
      },
      { book: async () => Promise.reject(new SlotTaken('Someone was faster')) },
    );

    // Act
    const { executionArn } = await r.startExecution({ name: 'taken', input: '{}' });
    const done = await r.waitFor(executionArn, 'FAILED');

    // Assess
    expect(done).toMatchObject({ error: 'Taken', cause: 'The slot was taken', currentState: 'Taken' });
    const failed = (await r.getExecutionHistory(executionArn)).events.find((e) => e.type === 'TaskFailed')!;
    expect(failed.taskFailedEventDetails).toMatchObject({ error: 'SlotTaken', cause: JSON.stringify({ errorType: 'SlotTaken', errorMessage: 'Someone was faster' }) });
  });

  it('times out the whole execution at the scaled TimeoutSeconds', async () => {
    // Prepare: 10 s at scale 1000 = 10 ms, against a 1-hour wait (3.6 s scaled; unscaled, the
    // timeout would come after the wait's end and the execution would succeed)
    const r = runner({ TimeoutSeconds: 10, StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 3600, End: true } } });

    // Act
    const { executionArn } = await r.startExecution({ name: 'too-long', input: '{}' });
    const done = await r.waitFor(executionArn, 'TIMED_OUT');

    // Assess: timed out in the wait, not before its scaled time (less timer rounding)
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBeGreaterThanOrEqual(10 - 2);
    const types = (await r.getExecutionHistory(executionArn)).events.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  it('reports whether a running execution waits for a timer', async () => {
    // Prepare
    const r = runner({ StartAt: 'Long', States: { Long: { Type: 'Wait', Seconds: 3600, End: true } } }, {}, 1);

    // Act
    const { executionArn } = await r.startExecution({ name: 'parked', input: '{}' });
    const d = await r.waitFor(executionArn, (x) => x.waiting === 'TIMER');
    await r.whenIdle();

    // Assess
    expect(d).toMatchObject({ status: 'RUNNING', currentState: 'Long', stateTransitions: 1 });
  });

  it("fires a waiting execution's timer on demand: a Wait ends, a timed callback times out into its Catch, and nothing else", async () => {
    // Prepare: an hour-long Wait, then a callback with a day to answer, caught on timeout (at scale 1)
    const r = runner(
      {
        StartAt: 'Hour',
        States: {
          Hour: { Type: 'Wait', Seconds: 3600, Next: 'Ask' },
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: '${askFunctionArn}', Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSeconds: 86_400,
            Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 3 }],
            Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'Expired' }],
            End: true,
          },
          Expired: { Type: 'Succeed' },
        },
      },
      { ask: async () => ({}) },
      1,
    );
    const { executionArn } = await r.startExecution({ name: 'fired', input: '{}' });
    await r.waitFor(executionArn, (d) => d.currentState === 'Hour' && d.waiting === 'TIMER');

    // Act
    const first = await r.fireTimer(executionArn);
    await r.waitFor(executionArn, (d) => d.currentState === 'Ask' && d.waiting === 'CALLBACK');
    const second = await r.fireTimer(executionArn);
    const done = await r.waitFor(executionArn, 'SUCCEEDED');

    // Assess: caught as a timeout (not retried as a task failure), recorded as one
    expect([first.state, second.state]).toEqual(['Hour', 'Ask']);
    expect(done.currentState).toBe('Expired');
    const types = (await r.getExecutionHistory(executionArn)).events.map((e) => e.type);
    expect(types).toContain('TaskTimedOut');
    expect(types).not.toContain('TaskFailed');
    expect(types.filter((t) => t === 'TaskStarted')).toHaveLength(1);
    await expect(r.fireTimer(executionArn)).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('compresses retry intervals alone with retryTimeScale, leaving waits their real length', async () => {
    // Prepare: a task failing twice with a minute between retries, then an hour-long Wait
    let failures = 2;
    const r = createLocalStepFunctions({
      definition: {
        StartAt: 'Flaky',
        States: {
          Flaky: task('flaky', { Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 60, MaxAttempts: 3 }], Next: 'Hour' }),
          Hour: { Type: 'Wait', Seconds: 3600, End: true },
        },
      },
      stateMachineArn: ARN,
      handlers: {
        flaky: async () => {
          if (failures-- > 0) throw new Error('down');
          return {};
        },
      },
      timeScale: 1,
      retryTimeScale: 6000,
      store: memoryExecutionStore(),
    });
    runners.push(r);

    // Act
    const { executionArn } = await r.startExecution({ name: 'retried', input: '{}' });
    const parked = await r.waitFor(executionArn, (d) => d.currentState === 'Hour' && d.waiting === 'TIMER');

    // Assess: two retries of 10 ms each, and the hour still ahead
    expect(parked.stateTransitions).toBe(4);
    expect(parked.status).toBe('RUNNING');
  });

  it('refuses to fire a timer for an execution that is not waiting on one', async () => {
    // Prepare: a callback without a timeout
    const r = runner(
      {
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: '${askFunctionArn}', Payload: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
      { ask: async () => ({}) },
    );
    const { executionArn } = await r.startExecution({ name: 'untimed', input: '{}' });
    await r.waitFor(executionArn, (d) => d.waiting === 'CALLBACK');

    // Act / Assess
    await expect(r.fireTimer(executionArn)).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringMatching(/does not wait on a timer/) });
    expect((await r.describeExecution(executionArn)).status).toBe('RUNNING');
  });

  it('refuses a definition whose task names no handler, or a state type it cannot run', () => {
    // Act
    const noHandler = () => runner({ StartAt: 'A', States: { A: task('missing', { End: true }) } });
    const parallel = () => runner({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }], End: true } } });

    // Assess
    expect(noHandler).toThrow(/no handler for step "missing"/);
    expect(parallel).toThrow(/does not support Parallel/);
  });
});
