/**
 * `npm start`: the whole backend on this machine, no AWS account needed.
 *   DynamoDB Local (data kept under <dataDir>/dynamodb) → the table → the demo users → the
 *   local Step Functions service on SFN_PORT (default 4584: the deployed workflow definition,
 *   its task functions in-process, waiting executions resumed) → the table stream's consumers
 *   (infra/local/aws/streams/poller.ts: workflow starts, notification pushes, refund requests, emails, which go
 *   to the mail catcher on MAIL_PORT, default 3004, in SES v2's wire format) → the OpenID
 *   provider the web app signs in with on OIDC_PORT (default 3005; its issuer, http://localhost:<port>,
 *   is the `iss` of every local token) → the local API gateway on PORT (default 3000), which runs
 *   the Lambda handlers in-process → (`npm start`) the web client on WEB_PORT (default 5173),
 *   served by Vite's dev server from web/.
 * The gateway listens only once all of that is ready, so the first 200 from GET /health
 * means the stack is up. Ctrl-C / SIGTERM stop everything, DynamoDB Local included.
 *
 * Tests (or scripts) can boot it in-process with `startLocalStack()`.
 */
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROUTES } from '../../shared/http/routes';
import { ensureTable, LOCAL_AWS_ENV, startDynamoLocal, type DynamoLocal } from './aws/dynamo';
import { freePort, httpOrigin, listen } from './ports';
import { close, createGateway } from './aws/http-api/gateway';
import { DEMO_USERS } from './demo-data';
import { DEFAULT_OIDC_PORT, LOCAL_AUDIENCE, localDataDir, localIssuer, publicJwks, recordIssuer, signingJwk, cachedTokenVerifier } from './emulators/oidc/jwt';
import { callbackPath, DEFAULT_WEB_PORT, startLocalOidc, WEB_CLIENT_ID, webOrigins } from './emulators/oidc/provider';
import type { SeedResult } from './seed';
import type { WsLambda } from './aws/websocket-api/gateway';
import type { DynamoDBRecord } from 'aws-lambda';

export const DEFAULT_TABLE_NAME = 'mentorship-local';
/** The local stack's Paystack secret key: signs the emulator's webhooks. Not a secret. */
export const LOCAL_PAYSTACK_SECRET = 'sk_test_local';
/** The API's CORS origins unless ALLOWED_ORIGINS says otherwise: the web app's (on `webPort`) and the API's own default origin. */
export const defaultAllowedOrigins = (webPort: number): string => [...webOrigins(webPort), 'http://localhost:3000'].join(',');
/** Signs the local stack's unsubscribe links unless EMAIL_LINK_SECRET names another. Not a secret. */
export const LOCAL_EMAIL_LINK_SECRET = 'local-email-link-secret';

export interface LocalStackOptions {
  /** Default: env PORT, else 3000. 0 picks a free port. */
  port?: number;
  /** Default: env HOST, else 127.0.0.1. */
  host?: string;
  /** Default: env LOCAL_DATA_DIR, else <project>/.local. */
  dataDir?: string;
  /** Default: env TABLE_NAME, else mentorship-local. */
  tableName?: string;
  /** Default: env DYNAMODB_PORT, else a free port. */
  dynamoPort?: number;
  /** Default: true. */
  seed?: boolean;
  /** Default: env SFN_PORT, else 4584. 0 picks a free port. */
  sfnPort?: number;
  /** The local EventBridge Scheduler's. Default: env SCHEDULER_PORT, else 4585. 0 picks a free port. */
  schedulerPort?: number;
  /** Default: env PAYSTACK_PORT, else 3002. 0 picks a free port. */
  paystackPort?: number;
  /** Default: env WS_PORT, else 3001. 0 picks a free port. */
  wsPort?: number;
  /** Default: env ZOOM_PORT, else 3003. 0 picks a free port. */
  zoomPort?: number;
  /** The OpenID provider's. Default: env OIDC_PORT, else 3005. 0 picks a free port. */
  oidcPort?: number;
  /**
   * Where the web app runs, served or not: its origins are the provider's redirect URIs and the
   * API's CORS origins, and the local FRONTEND_URL (where Paystack returns the browser).
   * Default: env WEB_PORT, else 5173. 0 picks a free port.
   */
  webPort?: number;
  /** Serve the web client (web/) on webPort. Default: false; `npm start` serves it. */
  web?: boolean;
  /** The mail catcher (the local SES endpoint). Default: env MAIL_PORT, else 3004. 0 picks a free port. */
  mailPort?: number;
  /** Request log; `false` silences it. */
  log?: ((line: string) => void) | false;
  /** Only stream records passing this reach the stream consumers (default: all). */
  streamRecords?: (record: DynamoDBRecord) => boolean;
  /**
   * Wraps every in-process function besides the HTTP routes (those are seen over HTTP):
   * workflow steps, stream consumers, the WebSocket authorizer and routes. The bench's cost
   * phase counts and times each invocation with it. Default: none.
   */
  wrapFunction?: FunctionWrapper;
  /**
   * DynamoDB Local died while the stack ran (not stopped by `stop()`): that is written to
   * stderr at once, the rest of the stack is stopped (without its table it would only answer
   * errors), then this is called; `npm start` exits non-zero.
   */
  onDynamoExit?: (error: Error) => void;
}

export type FunctionKind = 'step' | 'stream' | 'ws' | 'schedule';
export type FunctionWrapper = <F extends (...args: never[]) => unknown>(kind: FunctionKind, name: string, fn: F) => F;

export interface LocalStack {
  url: string;
  /** The web client, when served. */
  webUrl: string | null;
  port: number;
  host: string;
  dataDir: string;
  dynamoEndpoint: string;
  sfnEndpoint: string;
  /** The local EventBridge Scheduler (AWS_ENDPOINT_URL_SCHEDULER; GET /_local/schedules lists them). */
  schedulerEndpoint: string;
  /** The local Paystack emulator, or null when real Paystack keys are configured. */
  paystackEmulator: string | null;
  /** The WebSocket API (connect with ?token=<JWT>). */
  wsUrl: string;
  /** The local Zoom emulator, or null when real Zoom credentials are configured. */
  zoomEmulator: string | null;
  /** The OpenID provider's issuer (http://localhost:<OIDC_PORT>): discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  /** The web app's OAuth client id: the `aud` of every local token. */
  clientId: string;
  /** The web app's origins the provider redirects to. */
  webOrigins: string[];
  /** The mail catcher: every email the stack sends (GET / for a page, GET /messages for JSON). */
  mailCatcher: string;
  timeScale: number;
  tableName: string;
  seed?: SeedResult;
  /**
   * Stops everything, DynamoDB Local last, within about STOP_BUDGET_MS whatever is still in
   * flight: a part that does not stop within its share is left behind (and reported on stderr)
   * so that the next one, and DynamoDB Local, still stop. Never rejects.
   */
  stop: () => Promise<void>;
}

/** How long `stop()` may take in all, DynamoDB Local's own stop (SIGTERM, then SIGKILL after 5 s) included. */
export const STOP_BUDGET_MS = 12_000;
/** The share of it each part besides DynamoDB Local gets at most. */
const STOP_PART_MS = 3_000;

type Settled = 'done' | 'timeout' | { error: unknown };

const within = (ms: number, work: () => Promise<unknown> | undefined): Promise<Settled> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Settled>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, ms))));
  const done = Promise.resolve()
    .then(work)
    .then(
      (): Settled => 'done',
      (error: unknown): Settled => ({ error }),
    );
  return Promise.race([done, timeout]).finally(() => clearTimeout(timer));
};

/**
 * Runs the stop of each part in order, each within its share of the budget, then DynamoDB
 * Local's: a part that hangs (a handler still waiting on something) or fails is reported and
 * passed over, never waited for.
 */
const stopInOrder = async (parts: readonly (readonly [string, () => Promise<unknown> | undefined])[], last: readonly [string, () => Promise<unknown>]) => {
  const deadline = Date.now() + STOP_BUDGET_MS - 6_000;
  for (const [name, stop] of parts) {
    const outcome = await within(Math.min(STOP_PART_MS, deadline - Date.now()), stop);
    if (outcome === 'timeout') process.stderr.write(`Stopping: ${name} did not stop in time; going on without it\n`);
    else if (outcome !== 'done') process.stderr.write(`Stopping: ${name} failed to stop: ${String((outcome.error as Error)?.stack ?? outcome.error)}\n`);
  }
  const outcome = await within(6_000, last[1]);
  if (outcome !== 'done') process.stderr.write(`Stopping: ${last[0]} did not stop cleanly: ${outcome === 'timeout' ? 'timed out' : String(outcome.error)}\n`);
};

/** What `npm start` says when DynamoDB Local dies under it: loud, since nothing works after. */
const dynamoDiedMessage = (exit: { code: number | null; signal: NodeJS.Signals | null }) =>
  [
    '',
    '!!! DynamoDB Local exited while the stack was running' + (exit.signal ? ` (signal ${exit.signal})` : ` (exit code ${exit.code})`) + '.',
    '!!! Every request would fail without it: the local stack is stopping. Start it again with `npm start` (the data is kept).',
    '',
  ].join('\n');

const envPort = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
};

/** Fails fast (before the seconds DynamoDB Local takes to boot) when the port is taken. */
const assertPortFree = (port: number, host: string, setting = 'PORT'): Promise<void> =>
  new Promise((resolve, reject) => {
    if (port === 0) return resolve();
    const probe = createNetServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use: stop what runs there, or start with ${setting}=<another port>`) : e),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });

export const startLocalStack = async (opts: LocalStackOptions = {}): Promise<LocalStack> => {
  // The handlers' Powertools logger and metrics read these when first imported (below): quiet
  // by default, warnings and errors only and no EMF lines; export either to see more.
  process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ||= 'true';
  // A fixed port even when asked for any: the Paystack and Zoom emulators must know where webhooks go.
  const port = (opts.port ?? envPort('PORT') ?? 3000) || (await freePort());
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  const dataDir = opts.dataDir ?? localDataDir();
  const tableName = opts.tableName ?? process.env.TABLE_NAME ?? DEFAULT_TABLE_NAME;
  await assertPortFree(port, host);
  const webPort = (opts.webPort ?? envPort('WEB_PORT') ?? DEFAULT_WEB_PORT) || (await freePort());
  const webOrigin = `http://localhost:${webPort}`;
  if (opts.web) await assertPortFree(webPort, host);

  // A fixed port even when asked for any: the issuer, in every token, names it.
  const oidcPort = (opts.oidcPort ?? envPort('OIDC_PORT') ?? DEFAULT_OIDC_PORT) || (await freePort());
  const issuer = localIssuer(oidcPort);
  const origins = webOrigins(webPort);
  await assertPortFree(oidcPort, host, 'OIDC_PORT');

  const dynamoPort = opts.dynamoPort ?? envPort('DYNAMODB_PORT');
  // The signing key (made on first use) is loaded while DynamoDB Local boots.
  const keyReady = publicJwks({ dataDir }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  const dynamo: DynamoLocal = await startDynamoLocal({ dataDir: join(dataDir, 'dynamodb'), ...(dynamoPort !== undefined ? { port: dynamoPort } : {}) });
  try {
    const keyError = await keyReady;
    if (keyError) throw keyError;
    // Before any module that creates an SDK client or reads config() is imported.
    Object.assign(process.env, LOCAL_AWS_ENV, {
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      TABLE_NAME: tableName,
      ALLOWED_ORIGINS: process.env.ALLOWED_ORIGINS ?? defaultAllowedOrigins(webPort),
      FRONTEND_URL: process.env.FRONTEND_URL || webOrigin,
    });
    await ensureTable(dynamo.endpoint, tableName);
    let seed: SeedResult | undefined;
    if (opts.seed !== false) {
      const { seedDemoData } = await import('./seed');
      seed = await seedDemoData();
    }
    const { config } = await import('../../shared/config');
    // Sets AWS_ENDPOINT_URL_SFN and STATE_MACHINE_ARN for the handlers, then resumes waiting executions.
    const { startLocalWorkflowService, DEFAULT_SFN_PORT } = await import('./aws/stepfunctions/service');
    const { stepHandlers } = await import('./aws/stepfunctions/step-handlers');
    // The WebSocket API first: executions resumed below may push notifications at once.
    const { startLocalWebSocket } = await import('./aws/websocket-api/gateway');
    const wrap = opts.wrapFunction;
    const ws = await startLocalWebSocket({
      port: opts.wsPort ?? envPort('WS_PORT') ?? 3001,
      host,
      jwks: () => publicJwks({ dataDir }),
      ...(wrap ? { wrap: (name: string, fn: WsLambda) => wrap('ws', name, fn) } : {}),
      ...(opts.log !== undefined ? { log: opts.log } : {}),
    });
    Object.assign(process.env, {
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWT_JWKS_URL: ws.jwksUrl,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: ws.managementEndpoint,
    });
    const paystack = await startLocalPaystack(opts.paystackPort ?? envPort('PAYSTACK_PORT') ?? 3002, `http://127.0.0.1:${port}/webhooks/paystack`);
    // Zoom before the workflow: resumed executions may reach CreateMeeting straight away.
    const { startLocalZoom } = await import('./emulators/zoom/local');
    const zoom = await startLocalZoom({ port: opts.zoomPort ?? envPort('ZOOM_PORT') ?? 3003, faults: localFaults(), webhookUrl: `http://127.0.0.1:${port}/webhooks/zoom` });
    // The local SES: the email consumer's SDK client sends there (AWS_ENDPOINT_URL_SESV2), and
    // its mailbox simulator's bounces and complaints reach the SES events use case as SNS would.
    const { startMailCatcher, DEFAULT_MAIL_PORT } = await import('./emulators/mail/catcher');
    const { sesEvent } = await import('../../shared/schemas/email');
    const { handleSesEvent } = await import('../../shared/usecases/preferences');
    const mail = await startMailCatcher({
      port: opts.mailPort ?? envPort('MAIL_PORT') ?? DEFAULT_MAIL_PORT,
      host,
      onEvent: async (event) => {
        await handleSesEvent(sesEvent.parse(event));
      },
      ...(opts.log === false ? { log: false as const } : {}),
    });
    process.env.AWS_ENDPOINT_URL_SESV2 = mail.url;
    process.env.EMAIL_LINK_SECRET ||= LOCAL_EMAIL_LINK_SECRET;
    process.env.API_URL ||= `http://localhost:${port}`;
    // Sets AWS_ENDPOINT_URL_SCHEDULER and the timeline's schedule settings; schedules that came due while the stack was down run now.
    const { startLocalScheduler, localScheduleTargets, DEFAULT_SCHEDULER_PORT } = await import('./aws/scheduler');
    const scheduler = await startLocalScheduler({
      port: opts.schedulerPort ?? envPort('SCHEDULER_PORT') ?? DEFAULT_SCHEDULER_PORT,
      host,
      targets: localScheduleTargets(wrap ? (name, fn) => wrap('schedule', name, fn) : undefined),
    });
    const workflow = await startLocalWorkflowService({
      port: opts.sfnPort ?? envPort('SFN_PORT') ?? DEFAULT_SFN_PORT,
      handlers: stepHandlers(wrap ? (step, run) => wrap('step', step, run) : undefined),
    });
    // The table stream's consumers (starting bookings' workflows, pushing notifications): after
    // the workflow service and the WebSocket API they call, before the gateway takes requests.
    const { startTableStreams, streamHandlers } = await import('./aws/streams/poller');
    const { ddb } = await import('../../shared/data/client');
    const consumers = wrap ? Object.fromEntries(Object.entries(await streamHandlers()).map(([name, fn]) => [name, wrap('stream', name, fn)])) : undefined;
    const streams = await startTableStreams({
      endpoint: dynamo.endpoint,
      tableName,
      wakeOnWritesOf: ddb,
      ...(consumers ? { handlers: consumers } : {}),
      ...(opts.streamRecords ? { where: opts.streamRecords } : {}),
    });

    // The sign-in the web app uses: users from the table, sign-up through the same use case as Cognito's post-confirmation trigger.
    const { getUser } = await import('../../shared/data/users');
    const { signUp } = await import('../../shared/usecases/identity');
    const oidc = await startLocalOidc({
      port: oidcPort,
      host,
      signingKey: await signingJwk({ dataDir }),
      webOrigins: origins,
      signInUsers: DEMO_USERS,
      users: { find: getUser, signUp: (input) => signUp(input) },
    }).catch(async (e: unknown) => {
      await streams.stop();
      await workflow.stop();
      await scheduler.stop();
      await paystack?.stop();
      await zoom?.stop();
      await mail.stop();
      await ws.stop();
      throw e;
    });
    recordIssuer(issuer, { dataDir });

    const server = createGateway({
      routes: ROUTES,
      verify: cachedTokenVerifier({ dataDir, issuer }),
      allowedOrigins: config().allowedOrigins,
      ...(opts.log !== undefined ? { log: opts.log } : {}),
    });
    const address = await listen(server, port, host).catch(async (e: unknown) => {
      await oidc.stop();
      await streams.stop();
      await workflow.stop();
      await scheduler.stop();
      await paystack?.stop();
      await zoom?.stop();
      await ws.stop();
      throw e;
    });
    const url = host === '127.0.0.1' || host === 'localhost' ? `http://localhost:${address.port}` : httpOrigin(address);
    const web = opts.web
      ? await startWeb(webPort, host, { apiUrl: url, wsUrl: ws.url, authority: issuer, clientId: WEB_CLIENT_ID }).catch(async (e: unknown) => {
          await close(server);
          await streams.stop();
          await workflow.stop();
          await scheduler.stop();
          await paystack?.stop();
          await zoom?.stop();
          await ws.stop();
          throw e;
        })
      : undefined;
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= stopInOrder(
        [
          ['the web client', () => web?.stop()],
          ['the HTTP gateway', () => close(server)],
          ['the OpenID provider', () => oidc.stop()],
          ['the Paystack emulator', () => paystack?.stop()],
          ['the Zoom emulator', () => zoom?.stop()],
          ['the table stream poller', () => streams.stop()],
          ['the mail catcher', () => mail.stop()],
          ['the local Step Functions service', () => workflow.stop()],
          ['the local scheduler', () => scheduler.stop()],
          // Closing sockets runs $disconnect, which writes to the table: before DynamoDB stops.
          ['the WebSocket API', () => ws.stop()],
        ],
        ['DynamoDB Local', () => dynamo.stop()],
      ));
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
    await dynamo.stop();
    throw e;
  }
};

/**
 * The web client (web/server.ts: Vite's dev server), its /config.json pointing at this stack:
 * the API, the WebSocket API and the local OpenID Connect provider (OIDC_PORT).
 */
const startWeb = async (port: number, host: string, config: { apiUrl: string; wsUrl: string; authority: string; clientId: string }) => {
  const { startWebServer } = await import('../../web/server');
  return startWebServer({ port, host, config });
};

/** Faults to emulate, from LOCAL_FAULTS (comma-separated, e.g. `paystack-verify,zoom`). */
export const localFaults = (): Set<string> =>
  new Set(
    (process.env.LOCAL_FAULTS ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );

/**
 * The Paystack emulator, unless real keys are configured (PAYSTACK_SECRET_KEY other than the
 * local one, with PAYSTACK_BASE_URL): then the handlers talk to Paystack itself.
 */
const startLocalPaystack = async (port: number, webhookUrl: string) => {
  const key = process.env.PAYSTACK_SECRET_KEY;
  if (key && key !== LOCAL_PAYSTACK_SECRET && process.env.PAYSTACK_BASE_URL) return undefined;
  const { startPaystackEmulator } = await import('./emulators/paystack/emulator');
  // Its checkout URLs carry the port, so "any port" must be chosen before it starts.
  if (port === 0) port = await freePort();
  const emulator = await startPaystackEmulator({
    port,
    secretKey: LOCAL_PAYSTACK_SECRET,
    webhookUrl,
    publicUrl: `http://localhost:${port}`,
    faults: localFaults(),
    log: (line) => process.stdout.write(`[paystack] ${line}\n`),
  });
  Object.assign(process.env, { PAYSTACK_BASE_URL: emulator.url, PAYSTACK_SECRET_KEY: LOCAL_PAYSTACK_SECRET });
  return emulator;
};

const banner = (stack: LocalStack, readyMs: number): string => {
  const tokenCmd = `${process.env.LOCAL_DATA_DIR ? `LOCAL_DATA_DIR=${process.env.LOCAL_DATA_DIR} ` : ''}npm run --silent token -- student-bola`;
  const seeded = stack.seed?.seeded.length ? ` (seeded now: ${stack.seed.seeded.join(', ')})` : ' (kept from an earlier start)';
  return [
    '',
    ...(stack.webUrl ? [`  Web app                  ${stack.webUrl}   (open it and choose "Sign in")`] : []),
    `  Mentorship API (local)   ${stack.url}   ready in ${(readyMs / 1000).toFixed(1)} s`,
    `  WebSocket (live pushes)  ${stack.wsUrl}/?token=<JWT>   (send {"type":"ping"} to keep it open)`,
    `  Sign-in (OpenID)         ${stack.issuer}   client ${stack.clientId}, redirect ${stack.webOrigins[0]}${callbackPath}: a button per demo user, and sign-up`,
    '',
    `  Demo users${seeded}:`,
    ...DEMO_USERS.map((u) => `    ${u.id.padEnd(15)} ${u.displayName.padEnd(14)} ${u.roles.join(',')}`),
    '',
    '  A token (12 h):',
    `    ${tokenCmd}`,
    '  Try:',
    `    curl -H "authorization: Bearer $(${tokenCmd})" ${stack.url}/tutors`,
    '',
    `  DynamoDB Local           AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamoEndpoint} TABLE_NAME=${stack.tableName}`,
    `  Step Functions (local)   AWS_ENDPOINT_URL_SFN=${stack.sfnEndpoint}   time scale ×${stack.timeScale}   (npm run executions)`,
    `  Scheduler (local)        AWS_ENDPOINT_URL_SCHEDULER=${stack.schedulerEndpoint}   the timeline's schedules, same time scale   (npm run schedules)`,
    stack.paystackEmulator
      ? `  Paystack emulator        ${stack.paystackEmulator}   (checkout pages; webhooks signed with ${LOCAL_PAYSTACK_SECRET})`
      : '  Paystack                 the real service (PAYSTACK_BASE_URL)',
    stack.zoomEmulator
      ? `  Zoom emulator            ${stack.zoomEmulator}   (LOCAL_FAULTS=zoom makes it fail; POST ${stack.zoomEmulator.replace(/\/v2$/, '')}/_emulator/meetings/<meetingId>/recording-completed sends its recording webhook)`
      : '  Zoom                     the real service (ZOOM_* credentials)',
    `  Mail catcher (local SES) ${stack.mailCatcher}   (every email sent; GET /messages for JSON)`,
    `  Data                     ${stack.dataDir}`,
    '  Ctrl-C stops everything.',
    '',
  ].join('\n');
};

const main = async (): Promise<void> => {
  const t0 = Date.now();
  let stack: LocalStack | undefined;
  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = (signal: string) => {
    if (stopping) {
      // Ctrl-C reaches us twice at once (from the terminal and relayed by tsx): only a later one forces.
      if (Date.now() - firstSignalAt < 1_500) return;
      process.stderr.write(`\n${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    firstSignalAt = Date.now();
    process.stderr.write(`\n${signal}: stopping…\n`);
    // If we are still starting, the stack is stopped as soon as it is up (see below).
    if (stack) void stack.stop().finally(() => process.exit(0));
    // stop() is bounded; this is the backstop should anything still hold the process.
    setTimeout(() => {
      process.stderr.write(`Still not stopped after ${(STOP_BUDGET_MS + 3_000) / 1000} s: exiting now\n`);
      process.exit(1);
    }, STOP_BUDGET_MS + 3_000).unref();
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, () => shutdown(s));

  try {
    stack = await startLocalStack({ web: true, onDynamoExit: () => process.exit(1) });
  } catch (e) {
    process.stderr.write(`Could not start the local stack: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  process.stdout.write(banner(stack, Date.now() - t0) + '\n');

  const crash = (e: unknown) => {
    process.stderr.write(`Unexpected error, stopping: ${(e as Error)?.stack ?? String(e)}\n`);
    void stack.stop().finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash);
  // A stray rejection in a handler: in Lambda it would end that invocation; keep the stack up.
  process.on('unhandledRejection', (e) => process.stderr.write(`Unhandled rejection: ${(e as Error)?.stack ?? String(e)}\n`));
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
