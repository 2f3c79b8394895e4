/**
 * Locally every function runs in one process, many invocations at once: a line logged by one
 * function must still name that function and carry that invocation's keys, never those of an
 * invocation that started (or ended) meanwhile. Real middy chains behind the local gateway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpHandler, ok } from '../../../../shared/http/handler';
import * as routes from '../../../../shared/http/routes';
import { ROUTES } from '../../../../shared/http/routes';
import { logger } from '../../../../shared/observability/logger';
import { captureLogs, type LogLine } from '../../../../test/support/logs';
import { close, createGateway, listen, type LambdaHandler } from './gateway';
import { verifyToken } from '../../emulators/oidc/jwt';

const dataDir = mkdtempSync(join(tmpdir(), 'invocation-logs-'));

let enteredWebhook!: () => void;
const webhookEntered = new Promise<void>((r) => (enteredWebhook = r));
let releaseWebhook!: () => void;
const webhookReleased = new Promise<void>((r) => (releaseWebhook = r));

/** Logs its error only after another function has run from start to end. */
const webhook = httpHandler(
  async () => {
    enteredWebhook();
    await webhookReleased;
    logger.error('Webhook not handled');
    return ok({});
  },
  { route: routes.emailUnsubscribe, rawBody: true },
);
const health = httpHandler(
  async () => {
    logger.warn('Health looked');
    return ok({});
  },
  { route: routes.health },
);
const handlers: Record<string, LambdaHandler> = { paystackWebhook: webhook, health: health };

let server: Server;
let url: string;

beforeAll(async () => {
  server = createGateway({
    routes: ROUTES,
    loadHandler: async (route) => handlers[route.handler]!,
    verify: (token) => verifyToken(token, { dataDir }),
    allowedOrigins: [],
    log: false,
  });
  url = `http://127.0.0.1:${(await listen(server, 0, '127.0.0.1')).port}`;
});

afterAll(async () => {
  await close(server);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Functions logging at the same time in the local stack', () => {
  it('each line names the function that logged it and carries its own request id', async () => {
    let webhookRequestId = '';
    let healthRequestId = '';
    const lines: LogLine[] = await captureLogs(async () => {
      const webhookDone = fetch(`${url}/webhooks/paystack`, { method: 'POST', body: '{}' });
      await webhookEntered;
      const healthRes = await fetch(`${url}/health`);
      healthRequestId = healthRes.headers.get('apigw-requestid')!;
      releaseWebhook();
      webhookRequestId = (await webhookDone).headers.get('apigw-requestid')!;
    });
    const error = lines.find((l) => l.message === 'Webhook not handled');
    const warning = lines.find((l) => l.message === 'Health looked');
    expect(error).toMatchObject({ level: 'ERROR', function_name: 'mentorship-local-paystackWebhook', requestId: webhookRequestId });
    expect(warning).toMatchObject({ level: 'WARN', function_name: 'mentorship-local-health', requestId: healthRequestId });
  });
});
