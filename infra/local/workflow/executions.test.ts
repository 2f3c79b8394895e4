/** `npm run executions`: what ops would see in the console, from the local service's API. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { useTestTable } from '../../../test/support/table';
import { freePort } from '../ports';
import { formatExecutions, listLocalExecutions, ServiceNotRunningError } from '../executions';
import { LOCAL_STATE_MACHINE_ARN, startLocalWorkflowService, type LocalWorkflowService } from './service';
import { fakeSteps, sfnClient, workflowInput } from './test-support';

const ROOT = join(__dirname, '../../..');
const run = promisify(execFile);
const steps = fakeSteps();
let service: LocalWorkflowService;
let sfn: SFNClient;

// Declared before useTestTable(): afterAll hooks run in order, and the service stops before its table goes.
afterAll(async () => {
  await service?.stop();
  sfn?.destroy();
});
useTestTable();

beforeAll(async () => {
  service = await startLocalWorkflowService({ port: 0, timeScale: 100_000, handlers: steps.handlers, exportEnv: false });
  sfn = sfnClient(service.endpoint);
  steps.useClient(sfn);
  // One execution waiting for the tutor, one finished.
  await service.runner.startExecution({ name: 'listed-waiting', input: workflowInput('listed-waiting', 'REQUEST') });
  const { executionArn } = await service.runner.startExecution({ name: 'listed-done', input: workflowInput('listed-done', 'INSTANT') });
  await sfn.send(new SendTaskSuccessCommand({ taskToken: await steps.token('listed-done'), output: JSON.stringify({ paid: true }) }));
  await service.runner.waitFor(executionArn, 'SUCCEEDED');
  await steps.token('listed-waiting');
  await service.runner.whenIdle();
});

describe('The executions command', () => {
  it('lists the running executions with the state each one waits in', async () => {
    // Act
    const rows = await listLocalExecutions({ endpoint: service.endpoint, stateMachineArn: LOCAL_STATE_MACHINE_ARN });

    // Assess
    expect(rows).toEqual([expect.objectContaining({ name: 'listed-waiting', status: 'RUNNING', state: 'AwaitDecision', detail: 'waiting for a callback' })]);
    expect(rows[0]!.since).toBeInstanceOf(Date);
  });

  it('lists finished executions too with --all', async () => {
    // Act
    const rows = await listLocalExecutions({ endpoint: service.endpoint, stateMachineArn: LOCAL_STATE_MACHINE_ARN, all: true });
    const table = formatExecutions(rows);

    // Assess
    expect(rows.map((r) => [r.name, r.status, r.state])).toEqual(
      expect.arrayContaining([
        ['listed-waiting', 'RUNNING', 'AwaitDecision'],
        ['listed-done', 'SUCCEEDED', 'WaitUntilNextStep'],
      ]),
    );
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+STATE\s+SINCE\s+STARTED\s+DETAIL$/);
    expect(table).toContain('listed-done');
  });

  it('prints the table when run as npm run executions', async () => {
    // Act
    const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), ['infra/local/executions-cli.ts', '--all'], {
      cwd: ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: service.endpoint, STATE_MACHINE_ARN: LOCAL_STATE_MACHINE_ARN },
    });

    // Assess
    expect(stdout).toMatch(/listed-waiting\s+RUNNING\s+AwaitDecision/);
    expect(stdout).toMatch(/listed-done\s+SUCCEEDED\s+WaitUntilNextStep/);
  });

  it('says clearly that the local stack is not running when nothing answers', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const direct = await listLocalExecutions({ endpoint: `http://127.0.0.1:${port}` }).catch((e: unknown) => e);
    const cli = await run(join(ROOT, 'node_modules/.bin/tsx'), ['infra/local/executions-cli.ts'], {
      cwd: ROOT,
      env: { ...process.env, AWS_ENDPOINT_URL_SFN: '', SFN_PORT: String(port) },
    }).catch((e: { code: number; stderr: string }) => e);

    // Assess
    expect(direct).toBeInstanceOf(ServiceNotRunningError);
    expect((direct as Error).message).toContain('npm start');
    expect(cli).toMatchObject({ code: 1, stderr: expect.stringContaining(`does not answer at http://127.0.0.1:${port}`) });
  });
});
