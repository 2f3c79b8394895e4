/**
 * A start of the local stack that fails part-way (here the mail catcher's port is taken) stops
 * every part it had started, DynamoDB Local included, before it rejects: nothing is left
 * listening, so the next `npm start` finds its ports free.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listen } from './ports';
import { startLocalStack } from './start';

const dataDir = mkdtempSync(join(tmpdir(), 'failed-start-'));
const blocker: Server = createServer();

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

describe('A local stack that fails to start', () => {
  it('stops the parts it had started, then rejects with the reason', async () => {
    const mailPort = (await listen(blocker, 0)).port;
    const started = { dynamoPort: await freePort(), wsPort: await freePort(), paystackPort: await freePort(), zoomPort: await freePort() };
    await expect(
      startLocalStack({ port: 0, sfnPort: 0, schedulerPort: 0, oidcPort: 0, mailPort, ...started, dataDir, tableName: 'failed-start', seed: false, log: false }),
    ).rejects.toThrow(`Port ${mailPort} on 127.0.0.1 is already in use`);
    const free = await Promise.all(Object.entries(started).map(async ([part, port]) => [part, await isFree(port)]));
    expect(free).toEqual(Object.keys(started).map((part) => [part, true]));
  }, 120_000);
});
