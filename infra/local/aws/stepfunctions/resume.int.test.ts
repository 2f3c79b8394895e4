/**
 * A restart of the local stack loses no booking: executions waiting when the service stops
 * are stored in the table and continue, with their remaining time, when it starts again.
 */
import { SendTaskSuccessCommand, TaskDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import { useTestTable } from '../../../../test/support/table';
import { startLocalWorkflowService, type LocalWorkflowService } from './service';
import { dynamoExecutionStore, type LocalHistoryEvent } from './store';
import { fakeSteps, sfnClient, workflowInput } from '../../../../test/support/workflow-service';

/** 10 times faster: a 6,000 s approval window lasts 600 s. */
const SCALE = 10;
/** The services' clock: real time, plus what the test moves it on by (the downtime of a restart). */
let skipped = 0;
const clock = () => Date.now() + skipped;
const steps = fakeSteps();
const services: LocalWorkflowService[] = [];
const clients: SFNClient[] = [];

// Declared before useTestTable(): afterAll hooks run in order, and the service stops before its table goes.
afterAll(async () => {
  for (const s of services) await s.stop();
  for (const c of clients) c.destroy();
});
useTestTable();

const startService = async () => {
  const service = await startLocalWorkflowService({ port: 0, timeScale: SCALE, handlers: steps.handlers, exportEnv: false, now: clock });
  services.push(service);
  const client = sfnClient(service.endpoint);
  steps.useClient(client);
  clients.push(client);
  return { service, client };
};

const rejection = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => Promise.reject(new Error('expected a rejection')),
    (e: unknown) => e,
  );

/** The first event of `type` (for TaskStateEntered, of state `name`). */
const event = (events: LocalHistoryEvent[], type: string, name?: string): LocalHistoryEvent => {
  const e = events.find((x) => x.type === type && (!name || (x.stateEnteredEventDetails as { name?: string } | undefined)?.name === name));
  if (!e) throw new Error(`No ${type} ${name ?? ''} in the history`);
  return e;
};
/** When the event happened (epoch ms, on the services' clock). */
const at = (events: LocalHistoryEvent[], type: string, name?: string): number => event(events, type, name).timestamp;
/** The first event of `type` after `e`. */
const nextAfter = (events: LocalHistoryEvent[], type: string, e: LocalHistoryEvent): LocalHistoryEvent => events.find((x) => x.type === type && x.id > e.id)!;
/**
 * When the wait in `state` began at the latest: the previous state's task result is written
 * before the library moves on (a state's entry is written as the library reports it, which
 * may be after its timer started).
 */
const waitBegan = (events: LocalHistoryEvent[], previousState: string): number => nextAfter(events, 'TaskSucceeded', event(events, 'TaskStateEntered', previousState)).timestamp;
/** A timer may end a millisecond or two early by Date.now (Node's timers count whole milliseconds of another clock). */
const TIMER_ROUNDING_MS = 2;

/**
 * The waits are long (minutes) so that none of them can end before the stop, however slow the
 * machine; the restart moves the clock on to two seconds before the approval window's end, so
 * the resumed waits end within seconds, by their own timers, if they kept the time they had
 * left, and only after minutes if a restart started them afresh.
 */
describe('A restart of the local Step Functions service', () => {
  it('resumes waiting executions where they were, with the time they had left', async () => {
    // Prepare: three executions waiting in three ways
    const first = await startService();
    steps.script('resume-wait', { paymentTimeoutSeconds: 6_005 });
    const inputs = {
      'resume-timeout': workflowInput('resume-timeout', 'REQUEST', 6_000),
      'resume-approve': workflowInput('resume-approve', 'REQUEST', 600_000),
      'resume-wait': workflowInput('resume-wait', 'INSTANT'),
    };
    const [timeoutArn, approveArn, waitArn] = await Promise.all(
      (['resume-timeout', 'resume-approve', 'resume-wait'] as const).map(async (id) => (await first.service.runner.startExecution({ name: id, input: inputs[id] })).executionArn),
    );
    await steps.token('resume-wait');
    await first.service.runner.waitFor(waitArn!, (d) => d.currentState === 'AwaitPayment');
    const approvalToken = await steps.token('resume-approve');
    await steps.token('resume-timeout');
    await first.service.runner.whenIdle();
    // The decision wait is the first state: its timer starts after the execution does.
    const windowOpened = at((await first.service.runner.getExecutionHistory(timeoutArn!)).events, 'ExecutionStarted');

    // Act: stop; start again 598 s (scaled) into the approval window
    await first.service.stop();
    const stored = await dynamoExecutionStore().list({ status: 'RUNNING' });
    skipped = windowOpened + 598_000 - Date.now();
    const restartedAt = clock();
    const second = await startService();
    const staleToken = await rejection(second.client.send(new SendTaskSuccessCommand({ taskToken: approvalToken, output: '{}' })));
    await second.client.send(new SendTaskSuccessCommand({ taskToken: await steps.token('resume-approve', 2), output: JSON.stringify({ decision: 'APPROVED' }) }));
    await second.client.send(new SendTaskSuccessCommand({ taskToken: await steps.token('resume-approve', 3), output: JSON.stringify({ paid: true }) }));
    const runner = second.service.runner;
    await Promise.all([timeoutArn!, approveArn!, waitArn!].map((arn) => runner.waitFor(arn, 'SUCCEEDED', 20_000)));

    // Assess: what the store held at the restart
    expect(stored.map((r) => [r.name, r.currentState]).sort()).toEqual([
      ['resume-approve', 'AwaitDecision'],
      ['resume-timeout', 'AwaitDecision'],
      ['resume-wait', 'AwaitPayment'],
    ]);
    expect(second.service.resumed.sort()).toEqual(['resume-approve', 'resume-timeout', 'resume-wait']);

    // The approval wait was entered again: its step ran again with a new token; the old one is stale.
    const [before, after] = steps.tokens.get('resume-approve')!;
    expect(before).toBe(approvalToken);
    expect(after).not.toBe(approvalToken);
    expect(staleToken).toBeInstanceOf(TaskDoesNotExist);
    expect(steps.calls.get('resume-approve')!.filter((c) => c === 'awaitDecision')).toHaveLength(2);

    // The approval window counted from the first entry: it ended 6,000 s / 10 after it, not
    // before (no timer ends early), and not a whole window after the restart.
    const timeoutEvents = (await runner.getExecutionHistory(timeoutArn!)).events;
    const expired = at(timeoutEvents, 'TaskStateEntered', 'ExpireRequest');
    expect(expired - windowOpened).toBeGreaterThanOrEqual(600_000 - TIMER_ROUNDING_MS);
    expect(expired).toBeLessThan(restartedAt + 600_000);

    // The payment wait kept its end across the restart likewise: its timeout (6,005 s, planned
    // before the stop) / 10 after it was first entered.
    const waitEvents = (await runner.getExecutionHistory(waitArn!)).events;
    const scheduled = nextAfter(waitEvents, 'TaskScheduled', event(waitEvents, 'TaskStateEntered', 'AwaitPayment'));
    const timeoutMs = ((scheduled.taskScheduledEventDetails as { timeoutInSeconds: number }).timeoutInSeconds * 1000) / SCALE;
    const stepRan = at(waitEvents, 'TaskStateEntered', 'CancelUnpaid');
    expect(stepRan - waitBegan(waitEvents, 'PreparePayment')).toBeGreaterThanOrEqual(timeoutMs - TIMER_ROUNDING_MS);
    expect(stepRan).toBeLessThan(restartedAt + timeoutMs);

    // One history across the restart.
    expect(waitEvents.map((e) => e.id)).toEqual(waitEvents.map((_, i) => i + 1));
    expect(waitEvents.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
  });
});
