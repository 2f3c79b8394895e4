/**
 * Boots the local stack the way a developer does (`npm start` runs infra/local/start.ts),
 * as a child process on free loopback ports with its own data folder, and talks to it over
 * HTTP like the web frontend. Always stopped (SIGTERM, then SIGKILL) after the file's tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/local/ports';
import { signToken } from '../../infra/local/jwt';
import { DEMO_USERS } from '../../infra/local/demo-data';

const ROOT = join(__dirname, '../..');

export interface RunningStack {
  url: string;
  wsUrl: string;
  /** The local Step Functions endpoint (AWS_ENDPOINT_URL_SFN). */
  sfnUrl: string;
  /** The Paystack emulator (its API takes `authorization: Bearer sk_test_local`). */
  paystackUrl: string;
  /** The Zoom emulator's API base (ZOOM_API_BASE_URL, ending in /v2); its token endpoint is `${origin}/oauth/token`. */
  zoomUrl: string;
  dataDir: string;
  output: () => string;
  token: (userId: string, groups?: string[]) => Promise<string>;
  /** fetch + JSON, as `userId` (or anonymous). */
  api: (method: string, path: string, opts?: { as?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }) => Promise<{ status: number; body: any }>;
  stop: () => Promise<void>;
}

/** What a started child answered: up, or exited during start (with its output). */
type Started = { ok: true } | { ok: false; output: string };

/**
 * Ready means the child printed its banner (start.ts writes it once every server is bound)
 * and /health answers: a /health answer alone could come from another file's stack that got
 * the same free port a moment earlier.
 */
const waitUntilUp = async (child: ChildProcess, url: string, output: () => string): Promise<Started> => {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) return { ok: false, output: output() };
    if (output().includes('Mentorship API (local)')) {
      try {
        if ((await fetch(`${url}/health`)).status === 200) return { ok: true };
      } catch {
        /* not listening yet */
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The local stack did not answer /health within 90 s:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** Free ports are picked, then bound by the child: another process may take one in between. */
const PORT_ATTEMPTS = 3;

export const bootLocalStack = async (env: Record<string, string> = {}): Promise<RunningStack> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorship-e2e-'));
  for (let attempt = 1; ; attempt++) {
    const [port, wsPort, sfnPort] = [await freePort(), await freePort(), await freePort()];
    // Known ports (not 0), so tests can look at what the emulators were asked to do.
    const paystackPort = env.PAYSTACK_PORT ?? String(await freePort());
    const zoomPort = env.ZOOM_PORT ?? String(await freePort());
    const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['infra/local/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), WS_PORT: String(wsPort), SFN_PORT: String(sfnPort), PAYSTACK_PORT: paystackPort, ZOOM_PORT: zoomPort, LOCAL_DATA_DIR: dataDir, TABLE_NAME: 'mentorship-e2e', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const url = `http://127.0.0.1:${port}`;
    const started = await waitUntilUp(child, url, () => out);
    if (!started.ok) {
      if (started.output.includes('already in use') && attempt < PORT_ATTEMPTS) continue;
      throw new Error(`The local stack exited during start:\n${started.output}`);
    }
    return runningStack({ child, exited, url, dataDir, output: () => out, ports: { wsPort, sfnPort, paystackPort, zoomPort } });
  }
};

const runningStack = (p: {
  child: ChildProcess;
  exited: Promise<void>;
  url: string;
  dataDir: string;
  output: () => string;
  ports: { wsPort: number; sfnPort: number; paystackPort: string; zoomPort: string };
}): RunningStack => {
  const { child, exited, url, dataDir } = p;
  const { wsPort, sfnPort, paystackPort, zoomPort } = p.ports;
  const tokens = new Map<string, string>();
  const token = async (userId: string, groups?: string[]) => {
    const key = `${userId}|${groups?.join(',') ?? ''}`;
    if (!tokens.has(key)) {
      const demo = DEMO_USERS.find((u) => u.id === userId);
      tokens.set(key, await signToken({ sub: userId, groups: groups ?? demo?.roles ?? ['student'], name: demo?.displayName ?? userId }, { dataDir }));
    }
    return tokens.get(key)!;
  };

  return {
    url,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    sfnUrl: `http://127.0.0.1:${sfnPort}`,
    paystackUrl: `http://127.0.0.1:${paystackPort}`,
    zoomUrl: `http://127.0.0.1:${zoomPort}/v2`,
    dataDir,
    output: p.output,
    token,
    api: async (method, path, opts = {}) => {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.as) headers.authorization = `Bearer ${await token(opts.as)}`;
      const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
      if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
      const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed as any };
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

/**
 * One local stack for a test file: booted before its tests, stopped after them. The returned
 * object is filled in by `beforeAll`, so use it inside tests and hooks, not at load time.
 */
export const useLocalStack = (env: Record<string, string> = {}): RunningStack => {
  const stack = {} as RunningStack;
  beforeAll(async () => {
    Object.assign(stack, await bootLocalStack(env));
  }, 120_000);
  afterAll(async () => {
    await stack.stop?.();
  });
  return stack;
};
