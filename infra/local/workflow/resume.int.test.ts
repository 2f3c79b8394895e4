/**
 * A restart of the local stack loses no booking: executions waiting when the service stops
 * are stored in the table and continue, with their remaining time, when it starts again.
 */
import { SendTaskSuccessCommand, TaskDoesNotExist, type SFNClient } from '@aws-sdk/client-sfn';
import { useTestTable } from '../../../test/support/table';
import { startLocalWorkflowService, type LocalWorkflowService } from './service';
import { dynamoExecutionStore, type LocalHistoryEvent } from './store';
import { fakeSteps, sfnClient, workflowInput } from './test-support';

/** 10 times faster: a 10 s approval window lasts 1 s, an 8 s wait 0.8 s. */
const SCALE = 10;
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
  const service = await startLocalWorkflowService({ port: 0, timeScale: SCALE, handlers: steps.handlers, exportEnv: false });
  services.push(service);
  const client = sfnClient(service.endpoint);
  steps.useClient(client);
  clients.push(client);
  return { service, client };
};

const rejection = (p: Promise<unknown>): Promise<unknown> => p.then(() => Promise.reject(new Error('expected a rejection')), (e: unknown) => e);

/** When the event happened (epoch ms). */
const at = (events: LocalHistoryEvent[], type: string, name?: string): number => {
  const e = events.find((x) => x.type === type && (!name || (x.stateEnteredEventDetails as { name?: string } | undefined)?.name === name));
  if (!e) throw new Error(`No ${type} ${name ?? ''} in the history`);
  return e.timestamp;
};

describe('A restart of the local Step Functions service', () => {
  it('resumes waiting executions where they were, with the time they had left', async () => {
    // Prepare: three executions waiting in three ways
    const first = await startService();
    steps.script('resume-timeout', { approvalTimeoutSeconds: 10 });
    steps.script('resume-approve', { approvalTimeoutSeconds: 600 });
    const wakeAt = Date.now() + 8_000;
    steps.script('resume-wait', { timeline: [{ step: 'REMIND', wakeAt: new Date(wakeAt).toISOString() }] });
    const [timeoutArn, approveArn, waitArn] = await Promise.all(
      (['resume-timeout', 'resume-approve', 'resume-wait'] as const).map(
        async (id) => (await first.service.runner.startExecution({ name: id, input: workflowInput(id, id === 'resume-wait' ? 'INSTANT' : 'REQUEST') })).executionArn,
      ),
    );
    await first.client.send(new SendTaskSuccessCommand({ taskToken: await steps.token('resume-wait'), output: JSON.stringify({ paid: true }) }));
    await first.service.runner.waitFor(waitArn!, (d) => d.currentState === 'WaitUntilNextStep');
    const approvalToken = await steps.token('resume-approve');
    await steps.token('resume-timeout');
    await first.service.runner.whenIdle();

    // Act: stop, stay down a while, start again
    await new Promise((r) => setTimeout(r, 150));
    await first.service.stop();
    const stored = await dynamoExecutionStore().list({ status: 'RUNNING' });
    await new Promise((r) => setTimeout(r, 250));
    const second = await startService();
    const staleToken = await rejection(second.client.send(new SendTaskSuccessCommand({ taskToken: approvalToken, output: '{}' })));
    await second.client.send(new SendTaskSuccessCommand({ taskToken: await steps.token('resume-approve', 2), output: JSON.stringify({ decision: 'APPROVED' }) }));
    await second.client.send(new SendTaskSuccessCommand({ taskToken: await steps.token('resume-approve', 3), output: JSON.stringify({ paid: true }) }));
    const runner = second.service.runner;
    await Promise.all([runner.waitFor(timeoutArn!, 'SUCCEEDED'), runner.waitFor(approveArn!, 'SUCCEEDED'), runner.waitFor(waitArn!, 'SUCCEEDED')]);

    // Assess: what the store held at the restart
    expect(stored.map((r) => [r.name, r.currentState]).sort()).toEqual([
      ['resume-approve', 'AwaitDecision'],
      ['resume-timeout', 'AwaitDecision'],
      ['resume-wait', 'WaitUntilNextStep'],
    ]);
    expect(second.service.resumed.sort()).toEqual(['resume-approve', 'resume-timeout', 'resume-wait']);

    // The approval wait was entered again: its step ran again with a new token; the old one is stale.
    const [before, after] = steps.tokens.get('resume-approve')!;
    expect(before).toBe(approvalToken);
    expect(after).not.toBe(approvalToken);
    expect(staleToken).toBeInstanceOf(TaskDoesNotExist);
    expect(steps.calls.get('resume-approve')!.filter((c) => c === 'prepareApproval')).toHaveLength(1);

    // The approval window counted from the first entry: 10 s / 10 = 1 s, not 1 s after the restart.
    const timeoutEvents = (await runner.getExecutionHistory(timeoutArn!)).events;
    const window = at(timeoutEvents, 'TaskStateEntered', 'ExpireRequest') - at(timeoutEvents, 'TaskStateEntered', 'AwaitDecision');
    expect(window).toBeGreaterThanOrEqual(950);
    expect(window).toBeLessThan(1_350);

    // The timeline wait kept its wake time across the restart: the step ran (wakeAt - entry) / 10
    // after the wait was first entered (about 0.8 s; the plan rounds up to whole seconds).
    const waitEvents = (await runner.getExecutionHistory(waitArn!)).events;
    const entered = at(waitEvents, 'TaskStateEntered', 'WaitUntilNextStep');
    const waited = at(waitEvents, 'TaskStateEntered', 'RunTimelineStep') - entered;
    expect(waited).toBeGreaterThanOrEqual((wakeAt - entered) / SCALE - 5);
    expect(waited).toBeLessThan((wakeAt - entered) / SCALE + 300);

    // One history across the restart.
    expect(waitEvents.map((e) => e.id)).toEqual(waitEvents.map((_, i) => i + 1));
    expect(waitEvents.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
  });
});
