/**
 * The bench's environment: its local stack (./stack.ts) in this thread or in a worker of its
 * own, with its own data folder and the probe; tokens signed with the stack's key, the bench's
 * HTTP client and raw floor client, and the allocators that keep bookings apart (a fresh
 * student per booking, a distinct 15-minute-grid slot per booking).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalStackOptions } from '../../infra/local/start';
import { signToken } from '../../infra/local/emulators/oidc/jwt';
import { httpClient, type HttpClient, type HttpResult } from './http';
import { emptyTrace, type Probe } from './probe';
import { rawClient, type RawDdb } from './raw';
import { startProbedStack, type StackInfo } from './stack';
import type { WorkerMessage, WorkerOp } from './stack-worker';

export { BENCH_TUTORS, FIGHT_TUTOR } from './stack';
export const SESSION_MINUTES = 30;

export interface BenchEnv {
  stack: StackInfo;
  dataDir: string;
  probe: Probe;
  http: HttpClient;
  raw: RawDdb;
  tableName: string;
  /** A signed token, cached. */
  token: (sub: string, groups: string[]) => Promise<string>;
  /** Mints `n` fresh students (id + token) ahead of a timed section. */
  students: (n: number) => Promise<{ id: string; token: string }[]>;
  /** A fresh id for a student that only the raw floor uses (no token needed). */
  rawStudent: () => string;
  /** The next free slot of a tutor: 30-minute sessions, back to back, from two days ahead. */
  slot: (tutorId: string) => string;
  book: (student: { id: string; token: string }, tutorId: string, scheduledAt?: string) => Promise<HttpResult>;
  stop: () => Promise<void>;
}

interface Hosted {
  stack: StackInfo;
  probe: Probe;
  stop: () => Promise<void>;
}

/** The stack in this thread: the probe is the stack's own. */
const inProcess = async (dataDir: string, extra: Pick<LocalStackOptions, 'wrapFunction'>): Promise<Hosted> => {
  const { stack, probe } = await startProbedStack({ dataDir, ...extra });
  return {
    stack,
    probe,
    stop: async () => {
      probe.uninstall();
      await stack.stop();
    },
  };
};

/** The stack in a worker thread (./stack-worker.ts); the probe here forwards to the worker's. */
const inWorker = (dataDir: string): Promise<Hosted> =>
  new Promise((resolveHosted, rejectHosted) => {
    // The node flags this process runs with (tsx's loader among them) load the worker's TypeScript.
    const worker = new Worker(new URL('./stack-worker.ts', import.meta.url), { workerData: { dataDir } });
    const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
    let seq = 0;
    let traceSeq = 0;
    let exited = false;
    const call = <T>(c: WorkerOp): Promise<T> =>
      exited
        ? Promise.reject(new Error('the stack worker has exited'))
        : new Promise<T>((resolve, reject) => {
            const id = ++seq;
            pending.set(id, { resolve, reject });
            worker.postMessage({ ...c, id });
          });
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'ready') {
        Object.assign(process.env, m.env);
        const probe: Probe = {
          // The bench's own calls are in this thread: the worker's probe never sees them.
          asBench: (fn) => fn(),
          newTrace: () => emptyTrace(`w${++traceSeq}`),
          take: (traceId) => call({ op: 'take', traceId }),
          setCapture: (on) => call({ op: 'capture', on }),
          background: () => call({ op: 'background' }),
          settle: (quietMs, maxMs) => call({ op: 'settle', ...(quietMs !== undefined ? { quietMs } : {}), ...(maxMs !== undefined ? { maxMs } : {}) }),
          uninstall: () => {},
        };
        resolveHosted({
          stack: m.stack,
          probe,
          stop: async () => {
            await call({ op: 'stop' });
            await worker.terminate();
          },
        });
      } else if (m.kind === 'failed') {
        void worker.terminate();
        rejectHosted(new Error(`the stack worker failed to start: ${m.error}`));
      } else {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error !== undefined) p?.reject(new Error(m.error));
        else p?.resolve(m.value);
      }
    });
    worker.on('error', (e) => {
      rejectHosted(e);
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    worker.on('exit', (code) => {
      exited = true;
      rejectHosted(new Error(`the stack worker exited (${code}) before it was ready`));
      for (const p of pending.values()) p.reject(new Error(`the stack worker exited (${code})`));
      pending.clear();
    });
  });

/**
 * `isolated`: the stack in a worker thread of its own (the overhead phase's fairer comparison,
 * bench/README.md §2); otherwise in this thread (bench:handlers calls the handlers in-process;
 * the cost phase's `wrapFunction` observes them).
 */
export const startBenchEnv = async (extra: Pick<LocalStackOptions, 'wrapFunction'> & { isolated?: boolean } = {}): Promise<BenchEnv> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorship-bench-'));
  const { isolated, ...options } = extra;
  const hosted = await (isolated ? inWorker(dataDir) : inProcess(dataDir, options)).catch((e: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  const { stack, probe } = hosted;
  try {
    const http = httpClient(stack.port, probe);
    const raw = rawClient();

    const tokens = new Map<string, Promise<string>>();
    const token = (sub: string, groups: string[]) => {
      const key = `${sub}|${groups.join(',')}`;
      let t = tokens.get(key);
      if (!t) {
        t = signToken({ sub, groups, name: sub }, { dataDir, expiresIn: '2h', issuer: stack.issuer });
        tokens.set(key, t);
      }
      return t;
    };
    let studentSeq = 0;
    const students = async (n: number) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const id = `bench-student-${String(++studentSeq).padStart(6, '0')}`;
          return { id, token: await signToken({ sub: id, groups: ['student'], name: id }, { dataDir, expiresIn: '2h', issuer: stack.issuer }) };
        }),
      );
    let rawSeq = 0;
    const rawStudent = () => `bench-rawstud-${String(++rawSeq).padStart(6, '0')}`;

    const base = new Date(Date.now() + 2 * 86_400_000);
    base.setUTCHours(0, 0, 0, 0);
    const next = new Map<string, number>();
    const slot = (tutorId: string) => {
      const n = next.get(tutorId) ?? 0;
      next.set(tutorId, n + 1);
      return new Date(base.getTime() + n * SESSION_MINUTES * 60_000).toISOString();
    };
    const book = (student: { id: string; token: string }, tutorId: string, scheduledAt = slot(tutorId)) =>
      http.request('POST', '/sessions', {
        token: student.token,
        body: { tutorId, scheduledAt, durationMinutes: SESSION_MINUTES, title: 'Benchmark session', bookingMode: 'REQUEST' },
      });

    return {
      stack,
      dataDir,
      probe,
      http,
      raw,
      tableName: stack.tableName,
      token,
      students,
      rawStudent,
      slot,
      book,
      stop: async () => {
        http.close();
        raw.destroy();
        await hosted.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await hosted.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
};
