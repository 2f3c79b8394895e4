/**
 * 2. Overhead against the database floor. Each route through the local gateway (JWT check,
 * API Gateway event, middy, zod, use case, SDK, DynamoDB Local) against the same DynamoDB
 * calls issued directly (bench/lib/raw.ts), at concurrency 1 and 32, in alternating rounds.
 */
import type { Fixtures } from './calls';
import { BENCH_TUTORS, type BenchEnv } from './lib/env';
import { compare, type Comparison, type Op } from './lib/measure';
import { bookingPairs, execute, substitute, type BookingRef } from './lib/raw';
import { round } from './lib/stats';
import { ulid } from 'ulid';

export const CONCURRENCIES = [1, 32] as const;
/** 200 requests per side: reads at concurrency 1 in 20 short rounds (drift cancels finely), the rest in 4 rounds of 50. */
const plan = (c: number, write: boolean) => (c === 1 && !write ? { rounds: 20, perRound: 10 } : { rounds: 4, perRound: 50 });
/** At concurrency 1 a write waits until the previous request's workflow steps are done (in AWS they run elsewhere). */
const QUIET_BEFORE_EACH_WRITE_MS = 60;
export const MAX_P50_RATIO = 1.5;

export interface RouteOverhead extends Comparison {
  route: string;
  rounds: number;
  perRound: number;
  /** Each request waited for the background (workflow steps) to be quiet first. */
  quietBeforeEach: boolean;
  /** The target applies at concurrency 1. */
  pass: boolean | null;
}

export interface OverheadResult {
  routes: RouteOverhead[];
  seconds: number;
}

export const runOverhead = async (env: BenchEnv, fx: Fixtures, deadline: number, log: (line: string) => void): Promise<OverheadResult> => {
  const t0 = Date.now();
  const { http, raw, probe } = env;
  const settle = () => probe.settle(250, Math.max(0, Math.min(20_000, deadline - Date.now())));
  const T = fx.templates;
  const tutorToken = new Map<string, string>();
  for (const t of [...BENCH_TUTORS, fx.approvalsTutor]) tutorToken.set(t, await env.token(t, ['tutor']));
  const out: RouteOverhead[] = [];

  for (const c of CONCURRENCIES) {
    const warmup = Math.max(20, c);
    const total = warmup + 200;
    const apiPool: { id: string; tutorId: string }[] = [];
    const rawPool: BookingRef[] = [];

    const readApi =
      (path: string, token: string): Op =>
      async () => {
        const r = await http.request('GET', path, { token });
        return { ok: r.status === 200, ms: r.ms, status: r.status, error: r.status === 200 ? undefined : `HTTP ${r.status}`, trace: r.trace };
      };
    const readRaw =
      (calls: typeof T.getSession): Op =>
      async () => {
        const o = await execute(raw, calls);
        return { ok: o.ok, ms: o.ms, error: o.error, conflicts: o.conflicts };
      };

    // Bookings: a fresh student each, the tutors in turn, the next free slot of that tutor.
    const students = await env.students(total);
    let nextStudent = 0;
    const createApi: Op = async (i) => {
      const student = students[nextStudent++];
      if (!student) return { ok: false, ms: Number.NaN, error: 'no student left' };
      const tutorId = BENCH_TUTORS[i % BENCH_TUTORS.length]!;
      const r = await env.book(student, tutorId);
      if (r.status === 201) apiPool.push({ id: r.body.session.id, tutorId });
      return { ok: r.status === 201, ms: r.ms, status: r.status, error: r.status === 201 ? undefined : `HTTP ${r.status} ${r.body?.error?.code ?? ''}`, trace: r.trace };
    };
    const createRaw: Op = async (i) => {
      const tutorId = BENCH_TUTORS[i % BENCH_TUTORS.length]!;
      const to: BookingRef = { id: ulid(), studentId: env.rawStudent(), tutorId, scheduledAt: env.slot(tutorId) };
      const calls = substitute(T.create.calls, bookingPairs(T.create.ref, to));
      const o = await execute(raw, calls);
      if (o.ok) rawPool.push(to);
      return { ok: o.ok, ms: o.ms, error: o.error, conflicts: o.conflicts };
    };
    const approveApi: Op = async () => {
      const s = apiPool.shift();
      if (!s) return { ok: false, ms: Number.NaN, error: 'no session left to approve' };
      const r = await http.request('POST', `/sessions/${s.id}/approve`, { token: tutorToken.get(s.tutorId)! });
      return { ok: r.status === 200, ms: r.ms, status: r.status, error: r.status === 200 ? undefined : `HTTP ${r.status} ${r.body?.error?.code ?? ''}`, trace: r.trace };
    };
    const approveRaw: Op = async () => {
      const to = rawPool.shift();
      if (!to) return { ok: false, ms: Number.NaN, error: 'no session left to approve' };
      const calls = substitute(T.approve.calls, bookingPairs(T.approve.ref, to));
      const o = await execute(raw, calls);
      return { ok: o.ok, ms: o.ms, error: o.error, conflicts: o.conflicts };
    };

    const quietFirst =
      (op: Op): Op =>
      async (i) => {
        await probe.settle(QUIET_BEFORE_EACH_WRITE_MS, Math.max(0, Math.min(5_000, deadline - Date.now())));
        return op(i);
      };
    const routes: [string, Op, Op, boolean][] = [
      ['GET /sessions/{id}', readApi(`/sessions/${fx.readerSession}`, fx.reader.token), readRaw(T.getSession), false],
      ['GET /me/sessions?view=upcoming', readApi('/me/sessions?view=upcoming', fx.reader.token), readRaw(T.upcoming), false],
      ['GET /tutor/sessions?view=approvals', readApi('/tutor/sessions?view=approvals', tutorToken.get(fx.approvalsTutor)!), readRaw(T.approvals), false],
      ['POST /sessions', createApi, createRaw, true],
      ['POST /sessions/{id}/approve', approveApi, approveRaw, true],
    ];
    for (const [route, api, rawOp, write] of routes) {
      if (Date.now() > deadline) break;
      const { rounds, perRound } = plan(c, write);
      const quiet = c === 1 && write;
      const cmp = await compare({
        api: quiet ? quietFirst(api) : api,
        raw: quiet ? quietFirst(rawOp) : rawOp,
        concurrency: c,
        warmup,
        rounds,
        perRound,
        settle,
        deadline,
      });
      out.push({ route, ...cmp, rounds, perRound, quietBeforeEach: quiet, pass: c === 1 ? cmp.p50Ratio <= MAX_P50_RATIO : null });
      log(
        `overhead: c=${String(c).padStart(2)} ${route.padEnd(36)} api p50 ${cmp.api.latency.p50.toFixed(2)} ms  floor p50 ${cmp.raw.latency.p50.toFixed(2)} ms  ratio ${cmp.p50Ratio}` +
          (cmp.api.errors || cmp.raw.errors ? `  errors api ${cmp.api.errors} floor ${cmp.raw.errors}` : ''),
      );
    }
  }
  return { routes: out, seconds: round((Date.now() - t0) / 1000, 1) };
};
