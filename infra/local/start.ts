/**
 * `npm start`: the whole backend on this machine, no AWS account needed. `startLocalStack()`
 * below reads as the order things start in (each part's module says what it is; README,
 * "The local stack", lists the ports). The gateway listens last, so the first 200 from
 * GET /health means the stack is up. Tests and the bench boot it in-process the same way.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROUTES } from '../../shared/http/routes';
import { ensureTable, LOCAL_AWS_ENV, startDynamoLocal } from './aws/dynamo';
import { close, createGateway } from './aws/http-api/gateway';
import type { WsLambda } from './aws/websocket-api/gateway';
import { LOCAL_AUDIENCE, localDataDir, localIssuer, publicJwks, recordIssuer, signingJwk, cachedTokenVerifier } from './emulators/oidc/jwt';
import { WEB_CLIENT_ID, webOrigins } from './emulators/oidc/provider';
import { httpOrigin, listen } from './ports';
import type { SeedResult } from './seed';
import { runFromCommandLine } from './stack/cli';
import { startLocalMail, startLocalPaystack, startLocalSignIn, startLocalStreams, startWeb } from './stack/parts';
import { choosePorts, DEFAULT_TABLE_NAME, defaultAllowedOrigins, envPort, localFaults } from './stack/settings';
import { dynamoDiedMessage, stopParts, type RunningParts } from './stack/stop';
import type { LocalStack, LocalStackOptions } from './stack/types';

export type { FunctionKind, FunctionWrapper, LocalStack, LocalStackOptions } from './stack/types';
export { DEFAULT_TABLE_NAME, defaultAllowedOrigins, LOCAL_EMAIL_LINK_SECRET, LOCAL_PAYSTACK_SECRET, localFaults } from './stack/settings';
export { STOP_BUDGET_MS } from './stack/stop';

export const startLocalStack = async (opts: LocalStackOptions = {}): Promise<LocalStack> => {
  // The handlers' Powertools logger and metrics read these when first imported (below): quiet
  // by default, warnings and errors only and no EMF lines; export either to see more.
  process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ||= 'true';
  const { port, host, webPort, oidcPort, dynamoPort } = await choosePorts(opts);
  const dataDir = opts.dataDir ?? localDataDir();
  const tableName = opts.tableName ?? process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
  const issuer = localIssuer(oidcPort);
  const origins = webOrigins(webPort);
  const wrap = opts.wrapFunction;

  // The signing key (made on first use) is loaded while DynamoDB Local boots.
  const keyReady = publicJwks({ dataDir }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const dynamo = await startDynamoLocal({ dataDir: join(dataDir, 'dynamodb'), ...(dynamoPort !== undefined ? { port: dynamoPort } : {}) });
  // Every part registers its stop as it starts: a failed start stops what is up, DynamoDB Local included.
  const running: RunningParts = {};
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopParts(running, () => dynamo.stop()));
  try {
    const keyError = await keyReady;
    if (keyError) throw keyError;
    // Before any module that creates an SDK client or reads config() is imported.
    Object.assign(process.env, LOCAL_AWS_ENV, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      TABLE_NAME: tableName,
      ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? defaultAllowedOrigins(webPort),
      FRONTEND_URL: process.env.FRONTEND_URL || `http://localhost:${webPort}`,
    });
    await ensureTable(dynamo.endpoint, tableName);
    let seed: SeedResult | undefined;
    if (opts.seed !== false) {
      const { seedDemoData } = await import('./seed');
      seed = await seedDemoData();
    }
    const { config } = await import('../../shared/config');

    // The WebSocket API first: executions resumed below may push notifications at once.
    const { startLocalWebSocket } = await import('./aws/websocket-api/gateway');
    const ws = await startLocalWebSocket({
      port: opts.wsPort ?? envPort('WS_PORT') ?? 3001,
      host,
      jwks: () => publicJwks({ dataDir }),
      ...(wrap ? { wrap: (name: string, fn: WsLambda) => wrap('ws', name, fn) } : {}),
      ...(opts.log !== undefined ? { log: opts.log } : {}),
    });
    running.ws = () => ws.stop();
    Object.assign(process.env, { JWT_ISSUER: issuer, JWT_AUDIENCE: LOCAL_AUDIENCE, JWT_JWKS_URL: ws.jwksUrl, AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: ws.managementEndpoint });

    const paystack = await startLocalPaystack(opts.paystackPort ?? envPort('PAYSTACK_PORT') ?? 3002, `http://127.0.0.1:${port}/webhooks/paystack`);
    running.paystack = () => paystack?.stop();
    // Zoom before the workflow: resumed executions may reach CreateMeeting straight away.
    const { startLocalZoom } = await import('./emulators/zoom/local');
    const zoom = await startLocalZoom({ port: opts.zoomPort ?? envPort('ZOOM_PORT') ?? 3003, faults: localFaults(), webhookUrl: `http://127.0.0.1:${port}/webhooks/zoom` });
    running.zoom = () => zoom?.stop();
    const { DEFAULT_MAIL_PORT } = await import('./emulators/mail/catcher');
    const mail = await startLocalMail(opts.mailPort ?? envPort('MAIL_PORT') ?? DEFAULT_MAIL_PORT, host, opts);
    running.mail = () => mail.stop();
    process.env.API_URL ||= `http://localhost:${port}`;

    // Sets AWS_ENDPOINT_URL_SCHEDULER and the timeline's schedule settings; schedules that came due while the stack was down run now.
    const { startLocalScheduler, localScheduleTargets, DEFAULT_SCHEDULER_PORT } = await import('./aws/scheduler');
    const scheduler = await startLocalScheduler({
      port: opts.schedulerPort ?? envPort('SCHEDULER_PORT') ?? DEFAULT_SCHEDULER_PORT,
      host,
      targets: localScheduleTargets(wrap ? (name, fn) => wrap('schedule', name, fn) : undefined),
    });
    running.scheduler = () => scheduler.stop();
    // Sets AWS_ENDPOINT_URL_SFN and STATE_MACHINE_ARN for the handlers, then resumes waiting executions.
    const { startLocalWorkflowService, DEFAULT_SFN_PORT } = await import('./aws/stepfunctions/service');
    const { stepHandlers } = await import('./aws/stepfunctions/step-handlers');
    const workflow = await startLocalWorkflowService({
      port: opts.sfnPort ?? envPort('SFN_PORT') ?? DEFAULT_SFN_PORT,
      handlers: stepHandlers(wrap ? (step, run) => wrap('step', step, run) : undefined),
    });
    running.workflow = () => workflow.stop();
    // The table stream's consumers (starting bookings' workflows, pushing notifications): after
    // the workflow service and the WebSocket API they call, before the gateway takes requests.
    const streams = await startLocalStreams(dynamo.endpoint, tableName, { wrap, ...opts });
    running.streams = () => streams.stop();

    const oidc = await startLocalSignIn({ port: oidcPort, host, signingKey: await signingJwk({ dataDir }), webOrigins: origins });
    running.oidc = () => oidc.stop();
    recordIssuer(issuer, { dataDir });

    const server = createGateway({
      routes: ROUTES,
      verify: cachedTokenVerifier({ dataDir, issuer }),
      allowedOrigins: config().allowedOrigins,
      ...(opts.log !== undefined ? { log: opts.log } : {}),
    });
    const address = await listen(server, port, host);
    running.gateway = () => close(server);
    const url = host === '127.0.0.1' || host === 'localhost' ? `http://localhost:${address.port}` : httpOrigin(address);
    const web = opts.web ? await startWeb(webPort, host, { apiUrl: url, wsUrl: ws.url, authority: issuer, clientId: WEB_CLIENT_ID }) : undefined;
    running.web = () => web?.stop();

    void dynamo.exited.then((exit) => {
      if (stopped) return;
      const message = dynamoDiedMessage(exit);
      process.stderr.write(`${message}\n`);
      void stop().then(() => opts.onDynamoExit?.(new Error(message)));
    });
    return {
      url,
      webUrl: web?.url ?? null,
      port: address.port,
      host,
      dataDir,
      dynamoEndpoint: dynamo.endpoint,
      sfnEndpoint: workflow.endpoint,
      schedulerEndpoint: scheduler.endpoint,
      paystackEmulator: paystack?.url ?? null,
      zoomEmulator: zoom?.url ?? null,
      issuer,
      clientId: WEB_CLIENT_ID,
      webOrigins: origins,
      mailCatcher: host === '127.0.0.1' || host === 'localhost' ? `http://localhost:${mail.port}` : mail.url,
      wsUrl: ws.url,
      timeScale: workflow.runner.timeScale,
      tableName,
      ...(seed ? { seed } : {}),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void runFromCommandLine(startLocalStack);
