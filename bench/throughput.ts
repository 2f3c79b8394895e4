/**
 * 5. Throughput. Bookings per second and errors with 32 concurrent clients on distinct slots
 * (each client with its own tutor; and all 32 on one tutor, whose counters item every booking
 * updates), and 32 clients fighting over 4 slots: exactly 4 may win each round.
 */
import { BENCH_TUTORS, FIGHT_TUTOR, type BenchEnv } from './lib/env';
import type { HttpResult } from './lib/http';
import { median, percentile, round } from './lib/stats';

export const CLIENTS = 32;
export const BOOKINGS_PER_CLIENT = 10;
export const FIGHT_ROUNDS = 5;
export const FIGHT_SLOTS = 4;

export interface RunStats {
  name: string;
  clients: number;
  attempts: number;
  booked: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  bookingsPerSecond: number;
  p50: number;
  p99: number;
  /** Transactions DynamoDB cancelled for a conflicting concurrent transaction (the handler retries them). */
  transactionConflicts: number;
}

export interface FightRound {
  winners: number;
  distinctWinningSlots: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  seconds: number;
}

export interface ThroughputResult {
  distinct: RunStats[];
  fight: { rounds: FightRound[]; exactlyFourEveryRound: boolean; otherErrors: number; medianSeconds: number };
  seconds: number;
}

const tally = (rs: HttpResult[], f: (r: HttpResult) => string) => {
  const out: Record<string, number> = {};
  for (const r of rs) out[f(r)] = (out[f(r)] ?? 0) + 1;
  return out;
};

const conflicts = (rs: HttpResult[]) => rs.reduce((n, r) => n + r.trace.ddb.filter((c) => c.reasons?.includes('TransactionConflict')).length, 0);

const distinctRun = async (env: BenchEnv, name: string, tutorOf: (client: number) => string, deadline: number): Promise<RunStats> => {
  const students = await env.students(CLIENTS * BOOKINGS_PER_CLIENT);
  // Slots are chosen before the clock starts.
  const plan = Array.from({ length: CLIENTS }, (_, c) =>
    Array.from({ length: BOOKINGS_PER_CLIENT }, (_, k) => ({ student: students[c * BOOKINGS_PER_CLIENT + k]!, tutorId: tutorOf(c), at: env.slot(tutorOf(c)) })),
  );
  await env.probe.settle(300, Math.max(0, Math.min(20_000, deadline - Date.now())));
  const results: HttpResult[] = [];
  let failures = 0;
  const t0 = Date.now();
  await Promise.all(
    plan.map(async (bookings) => {
      for (const b of bookings) {
        if (Date.now() > deadline) return;
        try {
          results.push(await env.book(b.student, b.tutorId, b.at));
        } catch {
          failures += 1;
        }
      }
    }),
  );
  const seconds = (Date.now() - t0) / 1000;
  const booked = results.filter((r) => r.status === 201).length;
  const lat = results.filter((r) => r.status === 201).map((r) => r.ms);
  return {
    name,
    clients: CLIENTS,
    attempts: results.length + failures,
    booked,
    errors: results.length - booked + failures,
    statuses: tally(results, (r) => String(r.status)),
    seconds: round(seconds, 2),
    bookingsPerSecond: round(booked / seconds, 1),
    p50: round(median(lat), 2),
    p99: round(percentile(lat, 99), 2),
    transactionConflicts: conflicts(results),
  };
};

export const runThroughput = async (env: BenchEnv, deadline: number, log: (line: string) => void): Promise<ThroughputResult> => {
  const t0 = Date.now();
  const distinct: RunStats[] = [];
  for (const [name, tutorOf] of [
    ['32 clients, own tutor each, distinct slots', (c: number) => BENCH_TUTORS[c % BENCH_TUTORS.length]!],
    ['32 clients, one tutor, distinct slots', () => 'tutor-tunde'],
  ] as const) {
    if (Date.now() > deadline) break;
    const s = await distinctRun(env, name, tutorOf, deadline);
    distinct.push(s);
    log(`throughput: ${name}: ${s.booked}/${s.attempts} booked in ${s.seconds} s = ${s.bookingsPerSecond}/s, errors ${s.errors}, conflicts retried ${s.transactionConflicts}`);
  }

  const rounds: FightRound[] = [];
  for (let k = 0; k < FIGHT_ROUNDS && Date.now() < deadline; k++) {
    const slots = Array.from({ length: FIGHT_SLOTS }, () => env.slot(FIGHT_TUTOR));
    const students = await env.students(CLIENTS);
    await env.probe.settle(300, Math.max(0, Math.min(20_000, deadline - Date.now())));
    const t = Date.now();
    const results = await Promise.all(students.map((s, i) => env.book(s, FIGHT_TUTOR, slots[i % FIGHT_SLOTS]).then((r) => ({ r, slot: slots[i % FIGHT_SLOTS]! }))));
    const winners = results.filter(({ r }) => r.status === 201);
    rounds.push({
      winners: winners.length,
      distinctWinningSlots: new Set(winners.map((w) => w.slot)).size,
      statuses: tally(
        results.map((x) => x.r),
        (r) => String(r.status),
      ),
      codes: tally(
        results.map((x) => x.r).filter((r) => r.status !== 201),
        (r) => String(r.body?.error?.code ?? r.status),
      ),
      seconds: round((Date.now() - t) / 1000, 3),
    });
  }
  const exactly = rounds.length > 0 && rounds.every((r) => r.winners === FIGHT_SLOTS && r.distinctWinningSlots === FIGHT_SLOTS);
  const otherErrors = rounds.reduce(
    (n, r) =>
      n +
      Object.entries(r.statuses)
        .filter(([s]) => s !== '201' && s !== '409')
        .reduce((m, [, v]) => m + v, 0),
    0,
  );
  log(`throughput: fight for ${FIGHT_SLOTS} slots × ${rounds.length} rounds: winners ${rounds.map((r) => r.winners).join(', ')}`);
  return {
    distinct,
    fight: { rounds, exactlyFourEveryRound: exactly, otherErrors, medianSeconds: round(median(rounds.map((r) => r.seconds)), 3) },
    seconds: round((Date.now() - t0) / 1000, 1),
  };
};
