/**
 * 4. Scale. A tutor with 10 sessions and a tutor with 10,000, seeded straight into the table
 * with BatchWriteItem. Each item is made by the project's own code: `sessionReplacement` (the
 * exported transition helper of shared/data/sessions.ts) builds the Put of a session with
 * `toItem`, i.e. the same keys and index keys (gsi1/gsi2/gsi3 from shared/domain/views.ts)
 * as a real booking; the counters item is shared/data/stats.ts's `statsUpdate`. The
 * sessions are spread over the statuses, so every dashboard view has content.
 * Then the dashboards and the stats of both tutors, alternating rounds, concurrency 1.
 */
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import type { Session, SessionStatus } from '../shared/domain/session';
import type { BenchEnv } from './lib/env';
import { compare, type Comparison, type Op } from './lib/measure';
import { LARGE_TUTOR, SMALL_TUTOR } from './lib/seeded';
import { pool, round } from './lib/stats';

export const SMALL = 10;
export const LARGE = 10_000;
export const MAX_RATIO = 1.2;
/** 200 requests per tutor, in 20 short alternating rounds. */
const ROUNDS = 20;
const PER_ROUND = 10;

/** How the sessions are spread: share of each status. */
const SPREAD: [SessionStatus, number][] = [
  ['PENDING_MENTOR_REVIEW', 0.3],
  ['SCHEDULED', 0.3],
  ['COMPLETED', 0.3],
  ['CANCELLED', 0.05],
  ['REJECTED', 0.05],
];

export interface ScaleRow extends Comparison {
  route: string;
  /** Items on the page each tutor got back. */
  itemsSmall: number | null;
  itemsLarge: number | null;
  pass: boolean;
}

export interface ScaleResult {
  small: number;
  large: number;
  seedSeconds: number;
  seededPerStatus: Record<string, number>;
  rows: ScaleRow[];
  seconds: number;
}

const HOUR = 3_600_000;

const sessionsFor = (tutorId: string, n: number): { session: Session; status: SessionStatus }[] => {
  const now = Date.now();
  const out: { session: Session; status: SessionStatus }[] = [];
  const counts = SPREAD.map(([status, share]) => [status, Math.max(1, Math.round(share * n))] as const);
  let left = n;
  let k = 0;
  for (const [status, want] of counts) {
    const count = Math.min(want, left);
    left -= count;
    for (let i = 0; i < count; i++, k++) {
      const future = status === 'PENDING_MENTOR_REVIEW' || status === 'SCHEDULED';
      const start = future ? now + 2 * 24 * HOUR + k * HOUR : now - (k + 1) * HOUR;
      const scheduledAt = new Date(start).toISOString();
      const end = new Date(start + 60 * 60_000).toISOString();
      const createdAt = new Date(Math.min(now, start) - 7 * 24 * HOUR).toISOString();
      const updatedAt = future ? createdAt : end;
      const studentId = `bench-scale-student-${String(k % 500).padStart(3, '0')}`;
      const session: Session = {
        id: ulid(Date.parse(createdAt)),
        studentId,
        tutorId,
        student: { id: studentId, displayName: studentId },
        tutor: { id: tutorId, displayName: tutorId },
        title: `Seeded session ${k}`,
        notes: null,
        scheduledAt,
        durationMinutes: 60,
        price: { amount: 500_000, currency: 'NGN' },
        bookingMode: 'REQUEST',
        status,
        paymentStatus: status === 'COMPLETED' ? 'PAID' : status === 'SCHEDULED' ? 'PENDING' : 'PENDING',
        meetingUrl: null,
        approvalNotes: status === 'REJECTED' ? 'Seeded' : null,
        rejectedAt: status === 'REJECTED' ? updatedAt : null,
        approvalDeadline: status === 'PENDING_MENTOR_REVIEW' ? new Date(Math.min(Date.parse(createdAt) + 72 * HOUR, start)).toISOString() : null,
        ...(status === 'SCHEDULED' || status === 'COMPLETED' ? { approvedAt: createdAt } : {}),
        ...(status === 'CANCELLED' ? { cancelledAt: updatedAt, cancellationReason: 'Seeded' } : {}),
        createdAt,
        updatedAt,
      };
      out.push({ session, status });
    }
  }
  return out;
};

const seedTutor = async (env: BenchEnv, tutorId: string, n: number): Promise<Record<string, number>> => {
  const { sessionReplacement } = await import('../shared/data/sessions');
  const { statsDelta, statsUpdate } = await import('../shared/data/stats');
  const sessions = sessionsFor(tutorId, n);
  const items = sessions.map(({ session }) => sessionReplacement({ ...session, version: 0 }, session).put.Put.Item);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches.length, 8, async (b) => {
    let request: Record<string, unknown>[] = batches[b]!.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; request.length > 0; attempt++) {
      if (attempt >= 10) throw new Error(`BatchWriteItem left ${request.length} items unprocessed after 10 attempts`);
      const outcome = await env.raw.send(new BatchWriteCommand({ RequestItems: { [env.tableName]: request } }));
      request = outcome.UnprocessedItems?.[env.tableName] ?? [];
      if (request.length) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  });
  // The dashboard counters, as the transitions would have left them.
  const delta: Record<string, number> = {};
  for (const { session } of sessions) for (const [view, d] of Object.entries(statsDelta(undefined, session))) delta[view] = (delta[view] ?? 0) + d;
  await env.raw.send(new UpdateCommand(statsUpdate(tutorId, delta, 'NGN').Update as never));
  const perStatus: Record<string, number> = {};
  for (const { status } of sessions) perStatus[status] = (perStatus[status] ?? 0) + 1;
  return perStatus;
};

export const runScale = async (env: BenchEnv, deadline: number, log: (line: string) => void): Promise<ScaleResult> => {
  const t0 = Date.now();
  log(`scale: seeding ${SMALL} and ${LARGE.toLocaleString('en')} sessions with BatchWriteItem`);
  await seedTutor(env, SMALL_TUTOR, SMALL);
  const seededPerStatus = await seedTutor(env, LARGE_TUTOR, LARGE);
  const seedSeconds = round((Date.now() - t0) / 1000, 1);
  log(`scale: seeded in ${seedSeconds} s`);
  const small = await env.token(SMALL_TUTOR, ['tutor']);
  const large = await env.token(LARGE_TUTOR, ['tutor']);
  const settle = () => env.probe.settle(250, Math.max(0, Math.min(20_000, deadline - Date.now())));

  const items = new Map<string, number>();
  const get =
    (path: string, token: string, key: string): Op =>
    async () => {
      const r = await env.http.request('GET', path, { token });
      if (r.status === 200 && Array.isArray(r.body?.items)) items.set(key, r.body.items.length);
      return { ok: r.status === 200, ms: r.ms, status: r.status, error: r.status === 200 ? undefined : `HTTP ${r.status}`, trace: r.trace };
    };
  const routes: [string, string, boolean][] = [
    ['GET /tutor/sessions?view=approvals', '/tutor/sessions?view=approvals', true],
    ['GET /tutor/sessions?view=pending', '/tutor/sessions?view=pending', true],
    ['GET /tutor/sessions?view=completed', '/tutor/sessions?view=completed', true],
    ['GET /tutor/stats', '/tutor/stats', false],
    // The same views with the page the small tutor fills (3 items): history size alone.
    ['GET /tutor/sessions?view=approvals&limit=3', '/tutor/sessions?view=approvals&limit=3', true],
    ['GET /tutor/sessions?view=pending&limit=3', '/tutor/sessions?view=pending&limit=3', true],
    ['GET /tutor/sessions?view=completed&limit=3', '/tutor/sessions?view=completed&limit=3', true],
  ];
  const rows: ScaleRow[] = [];
  for (const [route, path, paged] of routes) {
    if (Date.now() > deadline) break;
    // "api" is the 10,000-session tutor, "raw" the 10-session one: p50Ratio = large / small.
    const cmp = await compare({
      api: get(path, large, `${route}|large`),
      raw: get(path, small, `${route}|small`),
      concurrency: 1,
      warmup: 10,
      rounds: ROUNDS,
      perRound: PER_ROUND,
      settle,
      deadline,
    });
    rows.push({
      route,
      ...cmp,
      itemsSmall: paged ? (items.get(`${route}|small`) ?? null) : null,
      itemsLarge: paged ? (items.get(`${route}|large`) ?? null) : null,
      pass: cmp.p50Ratio <= MAX_RATIO && cmp.api.errors === 0 && cmp.raw.errors === 0,
    });
    log(`scale: ${route.padEnd(44)} 10: ${cmp.raw.latency.p50.toFixed(2)} ms  10k: ${cmp.api.latency.p50.toFixed(2)} ms  ratio ${cmp.p50Ratio}`);
  }
  return { small: SMALL, large: LARGE, seedSeconds, seededPerStatus, rows, seconds: round((Date.now() - t0) / 1000, 1) };
};
