/**
 * The local Step Functions service running the real booking definition with fake steps, at
 * 100000 times AWS's speed, driven through the real @aws-sdk/client-sfn like the functions.
 */
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { bookingDefinition, stepPlaceholder, WORKFLOW_STEPS } from '../../../../shared/workflow/definition';
import { LOCAL_STATE_MACHINE_ARN } from './service';
import { useFakeWorkflowService, workflowInput } from '../../../../test/support/workflow-service';

const SCALE = 100_000;
const wf = useFakeWorkflowService(SCALE);
const { steps } = wf;

const start = async (sessionId: string, mode: 'INSTANT' | 'REQUEST') =>
  (await wf.sfn.send(new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name: sessionId, input: workflowInput(sessionId, mode) }))).executionArn!;

const history = async (executionArn: string): Promise<HistoryEvent[]> => (await wf.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
const entered = (events: HistoryEvent[]) => events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name);

const rejection = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
};

describe('The local Step Functions service', () => {
  it('resumes a decision wait when SendTaskSuccess arrives, then runs payment and the confirmation to the end', async () => {
    // Prepare
    const id = 'session-approved';
    const arn = await start(id, 'REQUEST');

    // Act
    const waiting = await wf.service.runner.waitFor(arn, (d) => d.waiting === 'CALLBACK');
    await wf.sfn.send(new SendTaskSuccessCommand({ taskToken: await steps.token(id, 1), output: JSON.stringify({ decision: 'APPROVED' }) }));
    await wf.sfn.send(new SendTaskSuccessCommand({ taskToken: await steps.token(id, 2), output: JSON.stringify({ paid: true }) }));
    await wf.service.runner.waitFor(arn, 'SUCCEEDED');

    // Assess
    expect(waiting).toMatchObject({ status: 'RUNNING', currentState: 'AwaitDecision' });
    const described = await wf.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(described).toMatchObject({ name: id, status: 'SUCCEEDED', stateMachineArn: LOCAL_STATE_MACHINE_ARN });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime());
    expect(JSON.parse(described.output!)).toMatchObject({
      sessionId: id,
      decision: { decision: 'APPROVED' },
      paid: { paid: true },
      confirmed: { value: { meetingUrl: 'https://meet.example.com/abc' } },
    });
    const events = await history(arn);
    // The execution ends at the confirmation: the timeline runs on schedules, not here.
    expect(entered(events)).toEqual(['AwaitDecision', 'PreparePayment', 'AwaitPayment', 'ConfirmBooking']);
    expect(events[0]).toMatchObject({ id: 1, type: 'ExecutionStarted' });
    expect(events.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['TaskStateEntered', 'TaskScheduled', 'TaskSubmitted', 'TaskSucceeded']));
    expect(events.at(-2)).toMatchObject({ type: 'TaskStateExited', stateExitedEventDetails: { name: 'ConfirmBooking' } });
    expect(steps.calls.get(id)).toEqual(['awaitDecision', 'preparePayment', 'awaitPayment', 'confirmBooking']);
  });

  it('waits out a payment window of one hour for 1/100000 of the hour at scale 100000', async () => {
    // Prepare
    const id = 'session-wait';
    steps.script(id, { paymentTimeoutSeconds: 3600 });

    // Act
    const arn = await start(id, 'INSTANT');
    await wf.service.runner.waitFor(arn, 'SUCCEEDED');

    // Assess: the payment wait (3600 s) lasted 1/100000 of it, about 36 ms: not less (less timer
    // rounding), however slow the machine, from the step that planned it (its TaskSucceeded is
    // written before the wait begins) to the step after it; and far less than the hour, or
    // waitFor would have given up.
    const events = await history(arn);
    const enteredState = (name: string) => events.find((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === name)!;
    const planned = events.find((e) => e.type === 'TaskSucceeded' && e.id! > enteredState('PreparePayment').id!)!;
    const waited = enteredState('CancelUnpaid').timestamp!.getTime() - planned.timestamp!.getTime();
    expect(waited).toBeGreaterThanOrEqual((3600 * 1000) / SCALE - 2);
  });

  it('goes to Rejected when SendTaskFailure says RequestRejected, and refuses a second use of the token', async () => {
    // Prepare
    const id = 'session-rejected';
    const arn = await start(id, 'REQUEST');
    const token = await steps.token(id);
    // From now on awaitDecision answers a retried wait the way the real step does: it fails its own token.
    steps.script(id, { decision: 'REJECTED' });

    // Act
    await wf.sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'RequestRejected', cause: 'The tutor is away' }));
    await wf.service.runner.waitFor(arn, 'SUCCEEDED');
    const again = await rejection(wf.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));

    // Assess
    const events = await history(arn);
    expect(entered(events).slice(-2)).toEqual(['AwaitDecision', 'Rejected']);
    expect(events.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({ error: 'RequestRejected', cause: 'The tutor is away' });
    expect(JSON.parse((await wf.sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).output!).error).toMatchObject({ Error: 'RequestRejected' });
    expect(again).toBeInstanceOf(TaskDoesNotExist);
  });

  it('expires a request nobody answered by its backstop timeout, and answers TaskTimedOut to a late callback', async () => {
    // Prepare: the backstop (30 days, 26 s here) ends when its timer is fired, once the
    // wait's function has run (a short window could end first on a slow machine)
    const id = 'session-expired';
    const arn = await start(id, 'REQUEST');
    const token = await steps.token(id);
    await wf.service.runner.waitFor(arn, (d) => d.currentState === 'AwaitDecision' && d.waiting === 'CALLBACK');

    // Act
    await wf.service.runner.fireTimer(arn);
    await wf.service.runner.waitFor(arn, 'SUCCEEDED');
    const late = await rejection(wf.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'APPROVED' }) })));

    // Assess
    const events = await history(arn);
    expect(entered(events).slice(-4)).toEqual(['AwaitDecision', 'ExpireRequest', 'AfterExpiry', 'Closed']);
    expect(events.map((e) => e.type)).toContain('TaskTimedOut');
    // States.Timeout is no States.TaskFailed: the wait is not retried.
    expect(steps.calls.get(id)!.filter((c) => c === 'awaitDecision')).toHaveLength(1);
    expect(late).toBeInstanceOf(TaskTimedOut);
  });

  it('cancels a booking that is not paid within the payment window', async () => {
    // Prepare
    const id = 'session-unpaid';
    steps.script(id, { paymentTimeoutSeconds: 1800 });

    // Act
    const arn = await start(id, 'INSTANT');
    await wf.service.runner.waitFor(arn, 'SUCCEEDED');

    // Assess
    expect(entered(await history(arn)).slice(-4)).toEqual(['AwaitPayment', 'CancelUnpaid', 'AfterCancellation', 'Closed']);
  });

  it('answers InvalidToken to a token it never issued', async () => {
    // Act
    const error = await rejection(wf.sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })));

    // Assess
    expect(error).toBeInstanceOf(InvalidToken);
  });

  it('retries a step that fails twice, and catches one that always fails', async () => {
    // Prepare
    steps.script('session-flaky', { meetingFailures: 2 });
    steps.script('session-broken', { meetingFailures: Infinity });
    const flaky = await start('session-flaky', 'INSTANT');
    const broken = await start('session-broken', 'INSTANT');

    // Act
    for (const id of ['session-flaky', 'session-broken']) {
      await wf.sfn.send(new SendTaskSuccessCommand({ taskToken: await steps.token(id), output: JSON.stringify({ paid: true }) }));
    }
    await wf.service.runner.waitFor(flaky, 'SUCCEEDED');
    await wf.service.runner.waitFor(broken, 'SUCCEEDED');

    // Assess
    expect(steps.calls.get('session-flaky')!.filter((c) => c === 'confirmBooking')).toHaveLength(3);
    expect(steps.calls.get('session-flaky')).not.toContain('meetingFallback');
    // 1 attempt + MaxAttempts 5 retries, then the Catch.
    expect(steps.calls.get('session-broken')!.filter((c) => c === 'confirmBooking')).toHaveLength(6);
    expect(steps.calls.get('session-broken')).toContain('meetingFallback');
    const brokenEvents = await history(broken);
    expect(brokenEvents.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!.error)).toEqual(Array(6).fill('MeetingProviderError'));
    expect(JSON.parse(brokenEvents.find((e) => e.stateExitedEventDetails?.name === 'ConfirmBooking')!.stateExitedEventDetails!.output!).error).toMatchObject({
      Error: 'MeetingProviderError',
    });
    expect((await wf.service.runner.describeExecution(flaky)).stateTransitions).toBeGreaterThan(entered(await history(flaky)).length);
  });

  it('treats a second StartExecution of the same session as AWS does', async () => {
    // Prepare
    const id = 'session-twice';
    const first = await start(id, 'REQUEST');

    // Act
    const same = await start(id, 'REQUEST');
    const otherInput = await rejection(start(id, 'INSTANT'));
    const token = await steps.token(id);
    await wf.sfn.send(new StopExecutionCommand({ executionArn: first, error: 'Ops', cause: 'Stopped by hand' }));
    const afterEnd = await rejection(start(id, 'REQUEST'));
    const callbackAfterStop = await rejection(wf.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));

    // Assess
    expect(same).toBe(first);
    expect(otherInput).toBeInstanceOf(ExecutionAlreadyExists);
    expect(afterEnd).toBeInstanceOf(ExecutionAlreadyExists);
    expect(callbackAfterStop).toBeInstanceOf(TaskDoesNotExist);
    expect(await wf.sfn.send(new DescribeExecutionCommand({ executionArn: first }))).toMatchObject({ status: 'ABORTED', error: 'Ops', cause: 'Stopped by hand' });
    expect((await history(first)).at(-1)).toMatchObject({ type: 'ExecutionAborted' });
    expect(steps.calls.get(id)!.filter((c) => c === 'awaitDecision')).toHaveLength(1);
  });

  it('answers the errors the SDK knows for an unknown state machine or execution', async () => {
    // Act
    const noMachine = await rejection(
      wf.sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:eu-west-1:000000000000:stateMachine:other', name: 'x', input: '{}' })),
    );
    const noExecution = await rejection(wf.sfn.send(new DescribeExecutionCommand({ executionArn: wf.service.runner.executionArn('nobody') })));

    // Assess
    expect(noMachine).toBeInstanceOf(StateMachineDoesNotExist);
    expect(noExecution).toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('lists executions by status', async () => {
    // Prepare
    const id = 'session-listed';
    await start(id, 'REQUEST');
    await steps.token(id);

    // Act
    const running = await wf.sfn.send(new ListExecutionsCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, statusFilter: 'RUNNING' }));
    const all = await wf.sfn.send(new ListExecutionsCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN }));

    // Assess
    expect(running.executions!.map((e) => e.name)).toContain(id);
    expect(running.executions!.every((e) => e.status === 'RUNNING')).toBe(true);
    expect(all.executions!.map((e) => e.name)).toEqual(expect.arrayContaining([id, 'session-approved', 'session-rejected']));
  });
});

describe('The booking definition', () => {
  it('is valid ASL for asl-validator once the placeholders are Lambda ARNs', () => {
    // Prepare
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- asl-validator has no types; require() lets this line state its shape
    const validate = require('asl-validator') as (d: unknown, o: object) => { isValid: boolean; errorsText: (sep?: string) => string };
    let text = JSON.stringify(bookingDefinition());
    for (const step of WORKFLOW_STEPS) text = text.split(`\${${stepPlaceholder(step)}}`).join(`arn:aws:lambda:eu-west-1:000000000000:function:${step}`);

    // Act
    const result = validate(JSON.parse(text), { checkArn: true, checkPaths: true });

    // Assess
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    expect(text).not.toContain('${');
  });
});
