/** Timed segments: many operations at a fixed concurrency, and API-versus-floor comparisons in alternating rounds. */
import type { RequestTrace } from './probe';
import { median, pool, round, summarize, type Summary } from './stats';

export interface OpResult {
  ok: boolean;
  ms: number;
  status?: number;
  error?: string;
  trace?: RequestTrace;
  /** Transactions retried after a TransactionConflict. */
  conflicts?: number;
}

export type Op = (i: number) => Promise<OpResult>;

export const runSegment = async (op: Op, count: number, concurrency: number, deadline: number): Promise<OpResult[]> => {
  const results: OpResult[] = [];
  await pool(
    count,
    concurrency,
    async (i) => {
      try {
        results.push(await op(i));
      } catch (e) {
        results.push({ ok: false, ms: Number.NaN, error: (e as Error).message.slice(0, 200) });
      }
    },
    deadline,
  );
  return results;
};

export interface SideStats {
  latency: Summary;
  ok: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Median DynamoDB calls per request (from the probe; API side only). */
  ddbCalls?: number;
  /** Median outgoing calls to the local Step Functions API per request. */
  sfnCalls?: number;
  /** Median time inside the gateway (request received → response written), ms. */
  serverP50?: number;
  /** Median time per request spent in DynamoDB calls (the SDK's send, summed), ms. */
  ddbMs?: number;
  /** Median time per request waiting for the (local) Step Functions API, ms. */
  sfnMs?: number;
  /** Median of gateway time minus both: JWT check, event, middy, zod, use case, JSON, event-loop waits. */
  appMs?: number;
  conflicts: number;
}

const ddbMsOf = (t: RequestTrace) => t.ddb.reduce((s, c) => s + c.ms, 0);

export const sideStats = (results: readonly OpResult[]): SideStats => {
  const ok = results.filter((r) => r.ok);
  const errorKinds: Record<string, number> = {};
  for (const r of results) if (!r.ok) errorKinds[r.error ?? String(r.status)] = (errorKinds[r.error ?? String(r.status)] ?? 0) + 1;
  const traces = ok.map((r) => r.trace).filter((t): t is RequestTrace => !!t);
  return {
    latency: summarize(ok.map((r) => r.ms)),
    ok: ok.length,
    errors: results.length - ok.length,
    errorKinds,
    ...(traces.length
      ? {
          ddbCalls: median(traces.map((t) => t.ddb.length)),
          sfnCalls: median(traces.map((t) => t.outbound.sfn ?? 0)),
          serverP50: round(median(traces.map((t) => t.serverMs ?? Number.NaN).filter(Number.isFinite)), 3),
          ddbMs: round(median(traces.map(ddbMsOf)), 3),
          sfnMs: round(median(traces.map((t) => t.outboundMs.sfn ?? 0)), 3),
          appMs: round(median(traces.filter((t) => t.serverMs !== undefined).map((t) => t.serverMs! - ddbMsOf(t) - (t.outboundMs.sfn ?? 0))), 3),
        }
      : {}),
    conflicts: results.reduce((n, r) => n + (r.conflicts ?? 0) + (r.trace?.ddb.filter((c) => c.reasons?.includes('TransactionConflict')).length ?? 0), 0),
  };
};

export interface Comparison {
  concurrency: number;
  api: SideStats;
  raw: SideStats;
  /** p50(api) / p50(raw), both measured in the same alternating rounds. */
  p50Ratio: number;
  p99Ratio: number;
}

/**
 * Warm-up, then `rounds` rounds of `perRound` API operations and `perRound` floor operations,
 * the order alternating each round, the background settled before each segment.
 */
export const compare = async (opts: {
  api: Op;
  raw: Op;
  concurrency: number;
  warmup: number;
  rounds: number;
  perRound: number;
  settle: () => Promise<unknown>;
  deadline: number;
}): Promise<Comparison> => {
  const { api, raw, concurrency, warmup, rounds, perRound, settle, deadline } = opts;
  await settle();
  await runSegment(api, warmup, concurrency, deadline);
  await settle();
  await runSegment(raw, warmup, concurrency, deadline);
  const a: OpResult[] = [];
  const r: OpResult[] = [];
  for (let k = 0; k < rounds && Date.now() < deadline; k++) {
    const order: [Op, OpResult[]][] =
      k % 2 === 0
        ? [
            [api, a],
            [raw, r],
          ]
        : [
            [raw, r],
            [api, a],
          ];
    for (const [op, sink] of order) {
      await settle();
      sink.push(...(await runSegment(op, perRound, concurrency, deadline)));
    }
  }
  const apiStats = sideStats(a);
  const rawStats = sideStats(r);
  return {
    concurrency,
    api: apiStats,
    raw: rawStats,
    p50Ratio: round(apiStats.latency.p50 / rawStats.latency.p50, 3),
    p99Ratio: round(apiStats.latency.p99 / rawStats.latency.p99, 3),
  };
};
