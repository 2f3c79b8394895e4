/**
 * The local stack as the end-to-end tests see it: `npm start`'s process (infra/local/start.ts)
 * on free loopback ports with its own data folder, talked to over HTTP and WebSocket like the
 * web frontend does.
 *
 * The e2e tier boots one for all its files (test/support/e2e-global-setup.ts) and hands its
 * addresses to the workers in E2E_LOCAL_STACK; `useLocalStack()` gives a file that stack, and
 * `useE2eUsers()` the file's own tutors and students, so files never see each other's data.
 * A test about the process itself (start, stop, restart) boots its own with `bootLocalStack()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/ports';
import { signToken } from '../../infra/local/emulators/oidc/jwt';
import { DEMO_USERS } from '../../infra/local/demo-data';
import { createApiClient } from '@mentorship/client';
import type { Middleware } from 'openapi-fetch';
import { documentContract } from './contract';

// jest compiles this file to CommonJS (__dirname); Playwright's runner loads it as an ES module,
// without __dirname, from the project root.
const ROOT = typeof __dirname === 'string' ? join(__dirname, '../..') : process.cwd();

/** Where the e2e tier's shared stack is, for the workers (JSON of StackAddress). */
export const SHARED_STACK_ENV = 'E2E_LOCAL_STACK';

export interface StackAddress {
  url: string;
  wsUrl: string;
  /** The local Step Functions endpoint (AWS_ENDPOINT_URL_SFN). */
  sfnUrl: string;
  /** The local EventBridge Scheduler (AWS_ENDPOINT_URL_SCHEDULER), with its control routes under /_local (infra/local/aws/scheduler/api.ts). */
  schedulerUrl: string;
  /** The Paystack emulator (its API takes `authorization: Bearer sk_test_local`). */
  paystackUrl: string;
  /** The Zoom emulator's API base (ZOOM_API_BASE_URL, ending in /v2); its token endpoint is `${origin}/oauth/token`. */
  zoomUrl: string;
  /** The stack's data folder: its token signing key lives there. */
  dataDir: string;
  /** The local OpenID provider's issuer (http://localhost:<its port>): the `iss` of the stack's tokens. */
  issuer: string;
  /** The web client's origin (http://localhost:<WEB_PORT>): the provider's redirect URIs and the API's CORS origin. */
  webUrl: string;
  /** The mail catcher (the local SES endpoint): GET /messages lists every email the stack sent. */
  mailUrl: string;
}

export interface RunningStack extends StackAddress {
  /** A token for `userId`: with `groups`, else the roles it was registered with (useE2eUsers), a demo user's, or student. */
  token: (userId: string, groups?: string[]) => Promise<string>;
  /** Registers a user's roles, display name and email (carried in their tokens, as Cognito's are) for `token` and `api`'s `as`. */
  register: (userId: string, roles: string[], name?: string) => void;
  /** A call through the typed client (@mentorship/client), as `userId` (or anonymous); its answer must be one docs/openapi.json describes. */
  api: (method: string, path: string, opts?: { as?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }) => Promise<{ status: number; body: any }>;
}

/** A stack this test started: stopped by `stop()`, its process tree and data folder gone. */
export interface OwnStack extends RunningStack {
  /** What the process printed so far. */
  output: () => string;
  /** The stack's process id: node running start.ts, DynamoDB Local's java its child (its own process group: `-pid` names the tree). */
  pid: number;
  /** Resolves with the stack's exit code once it has exited (null when a signal ended it). */
  exitCode: () => Promise<number | null>;
  stop: () => Promise<void>;
}

/** What a started child answered: up, or exited during start (with its output). */
type Started = { ok: true } | { ok: false; output: string };

/**
 * Ready means the child printed its banner (start.ts writes it once every server is bound)
 * and /health answers: a /health answer alone could come from another stack that got the
 * same free port a moment earlier.
 */
const waitUntilUp = async (child: ChildProcess, url: string, output: () => string, kill: () => void): Promise<Started> => {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) return { ok: false, output: output() };
    if (output().includes('Mentorship API (local)')) {
      try {
        if ((await fetch(`${url}/health`)).status === 200) return { ok: true };
      } catch {
        /* not listening yet */
      }
    }
    if (Date.now() > deadline) {
      kill();
      throw new Error(`The local stack did not answer /health within 90 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Free ports are picked, then bound by the child: another process may take one in between. */
const PORT_ATTEMPTS = 3;

/** Boots a local stack of the caller's own (`env` adds to or overrides the environment). */
export const bootLocalStack = async (env: Record<string, string> = {}): Promise<OwnStack> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorship-e2e-'));
  for (let attempt = 1; ; attempt++) {
    const [port, wsPort, sfnPort, oidcPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    // The web client's port too (`npm start` serves it): two stacks must not both want 5173.
    const webPort = env.WEB_PORT ?? String(await freePort());
    // Known ports (not 0), so tests can ask the emulators what they were asked to do.
    const paystackPort = env.PAYSTACK_PORT ?? String(await freePort());
    const zoomPort = env.ZOOM_PORT ?? String(await freePort());
    const mailPort = env.MAIL_PORT ?? String(await freePort());
    const schedulerPort = env.SCHEDULER_PORT ?? String(await freePort());
    // As `npm start` runs it: node itself, no launcher between it and the signals it gets. Its
    // own process group, DynamoDB Local's JVM below it: killing the group leaves nothing behind.
    const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/node'), ['--import', 'tsx', 'infra/local/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        WS_PORT: String(wsPort),
        SFN_PORT: String(sfnPort),
        PAYSTACK_PORT: paystackPort,
        ZOOM_PORT: zoomPort,
        OIDC_PORT: String(oidcPort),
        // The web origin the provider redirects to, the API allows and test/support/oidc.ts signs in from.
        WEB_PORT: webPort,
        MAIL_PORT: mailPort,
        SCHEDULER_PORT: schedulerPort,
        LOCAL_DATA_DIR: dataDir,
        TABLE_NAME: 'mentorship-e2e',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killTree = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    // If this process exits without stopping the stack (a crash, Ctrl-C), the stack goes too.
    const onExit = () => killTree('SIGKILL');
    process.once('exit', onExit);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    // 'close' comes once its output is read to the end too: what it printed last is in `out`.
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const url = `http://127.0.0.1:${port}`;
    const started = await waitUntilUp(
      child,
      url,
      () => out,
      () => killTree('SIGKILL'),
    );
    if (!started.ok) {
      process.off('exit', onExit);
      killTree('SIGKILL');
      if (started.output.includes('already in use') && attempt < PORT_ATTEMPTS) continue;
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`The local stack exited during start:\n${started.output}`);
    }
    const address: StackAddress = {
      url,
      wsUrl: `ws://127.0.0.1:${wsPort}`,
      sfnUrl: `http://127.0.0.1:${sfnPort}`,
      schedulerUrl: `http://127.0.0.1:${schedulerPort}`,
      paystackUrl: `http://127.0.0.1:${paystackPort}`,
      zoomUrl: `http://127.0.0.1:${zoomPort}/v2`,
      dataDir,
      issuer: `http://localhost:${oidcPort}`,
      webUrl: `http://localhost:${webPort}`,
      mailUrl: `http://127.0.0.1:${mailPort}`,
    };
    let stopping: Promise<void> | undefined;
    return {
      ...stackClient(address),
      output: () => out,
      pid: child.pid!,
      exitCode: () => closed.then(() => child.exitCode),
      stop: () =>
        (stopping ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            killTree('SIGTERM');
            const timer = setTimeout(() => killTree('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          }
          // Whatever the stack's own stop left (it should leave nothing).
          killTree('SIGKILL');
          process.off('exit', onExit);
          child.stdout?.destroy();
          child.stderr?.destroy();
          rmSync(dataDir, { recursive: true, force: true });
        })()),
    };
  }
};

/** A middleware that throws (failing the call) when an answer is not what docs/openapi.json describes. */
const describedByTheDocument = (): Middleware => ({
  async onResponse({ request, response }) {
    const url = new URL(request.url);
    documentContract().assertDescribed({
      method: request.method,
      path: url.pathname,
      status: response.status,
      body: await response.clone().text(),
      contentType: response.headers.get('content-type') ?? undefined,
    });
    return undefined;
  },
});

/** Tokens and HTTP calls (through the typed client) against a stack at `address`. */
export const stackClient = (address: StackAddress): RunningStack => {
  const users = new Map<string, { roles: string[]; name: string; email: string }>();
  // The typed client, as a frontend uses it, with every answer held to the OpenAPI document.
  const client = createApiClient({ baseUrl: address.url });
  client.use(describedByTheDocument());
  const tokens = new Map<string, Promise<string>>();
  const token = (userId: string, groups?: string[]) => {
    const known = users.get(userId);
    const demo = DEMO_USERS.find((u) => u.id === userId);
    const roles = groups ?? known?.roles ?? demo?.roles ?? ['student'];
    const key = `${userId}|${roles.join(',')}`;
    const email = known?.email ?? demo?.email;
    if (!tokens.has(key))
      tokens.set(
        key,
        signToken(
          { sub: userId, groups: roles, name: known?.name ?? demo?.displayName ?? userId, ...(email ? { email } : {}) },
          { dataDir: address.dataDir, issuer: address.issuer },
        ),
      );
    return tokens.get(key)!;
  };
  return {
    ...address,
    token,
    register: (userId, roles, name) => {
      users.set(userId, { roles, name: name ?? userId, email: `${userId}@example.com` });
    },
    api: async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
      // openapi-fetch sends a body as JSON with its content-type (unless `headers` names another); a raw body as it is.
      const body = opts.rawBody !== undefined ? { body: opts.rawBody, bodySerializer: (b: unknown) => b } : opts.body === undefined ? {} : { body: opts.body };
      // The path is concrete (`/sessions/01J…?view=…`): openapi-fetch sends it as it is.
      const { data, error, response } = await client.request(method.toLowerCase() as 'get', path as '/health', { headers, ...body, parseAs: 'text' } as never);
      const text: unknown = response.ok ? data : error;
      let parsed: unknown = text;
      try {
        parsed = typeof text === 'string' && text ? JSON.parse(text) : text === '' ? undefined : text;
      } catch {
        /* not JSON */
      }
      return { status: response.status, body: parsed as any };
    },
  };
};

/**
 * The e2e tier's shared stack, for one test file. The file makes its own users
 * (`useE2eUsers`) and books its own slots; the stack is stopped by the tier, not the file.
 */
export const useLocalStack = (): RunningStack => {
  const raw = process.env[SHARED_STACK_ENV];
  if (!raw) throw new Error(`No shared local stack (${SHARED_STACK_ENV} is unset): run end-to-end tests through the e2e tier, e.g. npm run test:e2e`);
  return stackClient(JSON.parse(raw) as StackAddress);
};

/** A start time `days` from now on the hour, UTC. */
export const slotIn = (days: number, hour = 10): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

/** Polls `probe` until it returns a value (what a UI waiting for a change would do). */
export const until = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Nothing came within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
};
