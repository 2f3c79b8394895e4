/**
 * The bench's local stack: started in-process on loopback ports with its own data folder,
 * the probe installed on the handlers' document client, tokens signed with the stack's key,
 * bench tutors seeded with the project's own seeding, and the allocators that keep bookings
 * apart (a fresh student per booking, a distinct 15-minute-grid slot per booking).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../infra/local/start';
import { signToken } from '../../infra/local/emulators/oidc/jwt';
import { DEMO_USERS, type DemoUser } from '../../infra/local/demo-data';
import { httpClient, type HttpClient, type HttpResult } from './http';
import { installProbe, type Probe } from './probe';
import { rawClient, type RawDdb } from './raw';
import { isSeededHistory } from './seeded';

export const BENCH_TUTORS = Array.from({ length: 32 }, (_, i) => `bench-tutor-${String(i + 1).padStart(2, '0')}`);
export const FIGHT_TUTOR = 'bench-tutor-fight';
export const SESSION_MINUTES = 30;

export interface BenchEnv {
  stack: LocalStack;
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

/** `extra`: more options for the local stack (the cost phase observes its functions). */
export const startBenchEnv = async (extra: Pick<LocalStackOptions, 'wrapFunction'> = {}): Promise<BenchEnv> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mentorship-bench-'));
  const options: LocalStackOptions = {
    port: 0,
    host: '127.0.0.1',
    dataDir,
    seed: true,
    sfnPort: 0,
    paystackPort: 0,
    oidcPort: 0,
    log: false,
    streamRecords: (r) => !isSeededHistory(r),
    ...extra,
  };
  // Servers the stack may add later (WebSocket gateway, Zoom emulator) also on any free port.
  const stack = await startLocalStack({ ...options, ...({ wsPort: 0, zoomPort: 0, schedulerPort: 0 } as object) }).catch((e: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  try {
    // The handlers' client: imported only now, after the stack set the environment.
    const { ddb } = await import('../../shared/data/client');
    const port = (url: string | null) => (url ? new URL(url).port : '');
    const ports: Record<string, string> = { [port(stack.dynamoEndpoint)]: 'dynamodb', [port(stack.sfnEndpoint)]: 'sfn', [String(stack.port)]: 'gateway' };
    if (stack.paystackEmulator) ports[port(stack.paystackEmulator)] = 'paystack';
    if (stack.zoomEmulator) ports[port(stack.zoomEmulator)] = 'zoom';
    const probe = installProbe({ ddb: ddb as never, ports });
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

    // Bench tutors: the demo tutor's terms, seeded with the project's own seeding.
    const ada = DEMO_USERS.find((u) => u.id === 'tutor-ada')!;
    const { seedDemoData } = await import('../../infra/local/seed');
    const tutors: DemoUser[] = [...BENCH_TUTORS, FIGHT_TUTOR].map((id) => ({
      id,
      displayName: id,
      email: `${id}@example.com`,
      roles: ['tutor'],
      profile: { ...ada.profile!, displayName: id },
    }));
    await seedDemoData({ users: tutors });

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
        probe.uninstall();
        raw.destroy();
        await stack.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
};
