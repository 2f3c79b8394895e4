/** `npm run executions`: what ops would see in the console, from the local service's API. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { freePort } from '../../ports';
import { formatExecutions, listLocalExecutions, ServiceNotRunningError } from './executions';
import { LOCAL_STATE_MACHINE_ARN } from './service';
import { useFakeWorkflowService, workflowInput } from '../../../../test/support/workflow-service';

const ROOT = join(__dirname, '../../../..');
const run = promisify(execFile);
const wf = useFakeWorkflowService(100_000);
const { steps } = wf;

beforeAll(async () => {
  // One execution waiting for the tutor, one finished.
  await wf.service.runner.startExecution({ name: 'listed-waiting', input: workflowInput('listed-waiting', 'REQUEST') });
  const { executionArn } = await wf.service.runner.startExecution({ name: 'listed-done', input: workflowInput('listed-done', 'INSTANT') });
  await wf.sfn.send(new SendTaskSuccessCommand({ taskToken: await steps.token('listed-done'), output: JSON.stringify({ paid: true }) }));
  await wf.service.runner.waitFor(executionArn, 'SUCCEEDED');
  await steps.token('listed-waiting');
  await wf.service.runner.whenIdle();
});

describe('The executions command', () => {
  it('lists the running executions with the state each one waits in', async () => {
    // Act
    const rows = await listLocalExecutions({ endpoint: wf.service.endpoint, stateMachineArn: LOCAL_STATE_MACHINE_ARN });

    // Assess
    expect(rows).toEqual([expect.objectContaining({ name: 'listed-waiting', status: 'RUNNING', state: 'AwaitDecision', detail: 'waiting for a callback' })]);
    expect(rows[0]!.since).toBeInstanceOf(Date);
  });

  it('lists finished executions too with --all', async () => {
    // Act
    const rows = await listLocalExecutions({ endpoint: wf.service.endpoint, stateMachineArn: LOCAL_STATE_MACHINE_ARN, all: true });
    const table = formatExecutions(rows);

    // Assess
    expect(rows.map((r) => [r.name, r.status, r.state])).toEqual(
      expect.arrayContaining([
        ['listed-waiting', 'RUNNING', 'AwaitDecision'],
        ['listed-done', 'SUCCEEDED', 'ConfirmBooking'],
      ]),
    );
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+STATE\s+SINCE\s+STARTED\s+DETAIL$/);
    expect(table).toContain('listed-done');
  });

  it('prints the table when run as npm run executions', async () => {
    // Act
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/executions.ts', '--all'], {
      cwd: ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: wf.service.endpoint, STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN },
    });

    // Assess
    expect(stdout).toMatch(/listed-waiting\s+RUNNING\s+AwaitDecision/);
    expect(stdout).toMatch(/listed-done\s+SUCCEEDED\s+ConfirmBooking/);
  });

  it('says clearly that the local stack is not running when nothing answers', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const direct = await listLocalExecutions({ endpoint: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    const cli = await run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/executions.ts'], {
      cwd: ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: '', SFN_PORT: String(port) },
    }).catch((e: unknown) => e as { code: number; stderr: string });

    // Assess
    expect(direct).toBeInstanceOf(ServiceNotRunningError);
    expect((direct as Error).message).toContain('npm start');
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringContaining(`does not answer at http://127.0.0.1:${port}`) });
  });
});
