/**
 * `npm run bench`: cold start, overhead against the database floor, calls per request, scale,
 * throughput and cost per booking; prints a table and writes the same numbers to
 * bench-results/latest.json. Targets are read from the numbers (PASS/FAIL), never enforced:
 * the exit code is 0 when the benchmark ran, whatever it found, and 1 only when it broke.
 * See bench/README.md for what each number means and how it is measured.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform } from 'node:os';
import { join } from 'node:path';
import { runCalls } from './calls';
import { ROOT, runColdStart } from './cold-start';
import { COST_TIME_SCALE, MAX_INSTANT_USD_PER_THOUSAND, runCost } from './cost';
import { startBenchEnv, type BenchEnv } from './lib/env';
import { MAX_P50_RATIO, runOverhead } from './overhead';
import { renderReport, type BenchResults } from './report';
import { MAX_RATIO as SCALE_MAX_RATIO, runScale } from './scale';
import { runThroughput } from './throughput';

/**
 * The whole run stays under 10 minutes: phases stop starting work past their share of this.
 * BENCH_BUDGET_S gives a machine busy with other work more time (so every route is measured).
 */
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 9 * 60) * 1000;
/** Each phase's own cap grows with the budget. */
const STRETCH = Math.max(1, BUDGET_MS / (9 * 60_000));

const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const started = Date.now();

const targetsOf = (r: BenchResults): BenchResults['targets'] => {
  const t: BenchResults['targets'] = [];
  if (r.coldStart) {
    const fns = r.coldStart.functions;
    const big = fns.filter((f) => !f.sizePass);
    const slow = fns.filter((f) => !f.initPass);
    t.push({
      target: `every bundle ≤ ${r.coldStart.maxBundleBytes / 1024} KB minified`,
      pass: big.length === 0,
      detail: big.length ? `${big.length}/${fns.length} over (largest ${(Math.max(...fns.map((f) => f.bytes)) / 1024).toFixed(0)} KB)` : `${fns.length} bundles`,
    });
    t.push({
      target: `every function's init ≤ ${r.coldStart.maxInitRatio}× its SDK baseline`,
      pass: slow.length === 0,
      detail: slow.length
        ? `${slow.length}/${fns.length} over; worst ${[...slow]
            .sort((a, b) => b.ratio - a.ratio)
            .slice(0, 4)
            .map((f) => `${f.name} ${f.ratio}× (+${f.deltaMs} ms)`)
            .join(', ')}; median Δ ${[...fns].map((f) => f.deltaMs).sort((a, b) => a - b)[fns.length >> 1]} ms`
        : `${fns.length} functions`,
    });
  }
  if (r.overhead) {
    const c1 = r.overhead.routes.filter((x) => x.concurrency === 1);
    const bad = c1.filter((x) => !x.pass);
    t.push({
      target: `p50 ratio to the DynamoDB floor ≤ ${MAX_P50_RATIO} at concurrency 1`,
      pass: c1.length > 0 && bad.length === 0,
      detail: c1.map((x) => `${x.route} ${x.p50Ratio}`).join('; '),
    });
  }
  if (r.calls) {
    const reads = r.calls.routes.filter((x) => x.kind === 'read');
    const writes = r.calls.routes.filter((x) => x.kind === 'write');
    const badR = reads.filter((x) => !x.pass);
    const badW = writes.filter((x) => !x.pass);
    t.push({
      target: 'every read route: one DynamoDB call',
      pass: badR.length === 0,
      detail: badR.length ? badR.map((x) => `${x.route}: ${x.sequence}`).join('; ') : `${reads.length} routes`,
    });
    t.push({
      target: 'every write route: ≤ 1 read and ≤ 1 transaction',
      pass: badW.length === 0,
      detail: badW.length ? badW.map((x) => `${x.route}: ${x.sequence}`).join('; ') : `${writes.length} routes`,
    });
  }
  if (r.scale) {
    const asAsked = r.scale.rows.filter((x) => !x.route.includes('limit='));
    const samePage = r.scale.rows.filter((x) => x.route.includes('limit=') || !x.route.includes('/sessions'));
    const line = (rows: typeof asAsked) => rows.map((x) => `${x.route.replace('GET /tutor/', '')} ${x.p50Ratio}`).join('; ');
    t.push({
      target: `dashboards (default page) and stats, 10k / 10 sessions p50 ≤ ${SCALE_MAX_RATIO}`,
      pass: asAsked.length > 0 && asAsked.every((x) => x.pass),
      detail: line(asAsked),
    });
    t.push({
      target: `dashboards at the same page size (3) and stats, 10k / 10 p50 ≤ ${SCALE_MAX_RATIO}`,
      pass: samePage.length > 0 && samePage.every((x) => x.pass),
      detail: line(samePage),
    });
  }
  if (r.throughput) {
    const d = r.throughput.distinct;
    t.push({
      target: 'distinct slots, 32 clients: no errors',
      pass: d.length > 0 && d.every((x) => x.errors === 0),
      detail: d.map((x) => `${x.bookingsPerSecond}/s, ${x.errors} errors (${x.name})`).join('; '),
    });
    t.push({
      target: '32 clients over 4 slots: exactly 4 winners',
      pass: r.throughput.fight.exactlyFourEveryRound && r.throughput.fight.otherErrors === 0,
      detail: `winners per round: ${r.throughput.fight.rounds.map((x) => x.winners).join(', ')}`,
    });
  }
  if (r.cost) {
    const c = r.cost;
    const instant = c.paths.find((p) => p.path === 'INSTANT completed');
    t.push({
      target: `completed INSTANT booking ≤ $${MAX_INSTANT_USD_PER_THOUSAND.toFixed(2)} per 1,000`,
      pass: c.target.pass,
      detail: instant
        ? `${instant.ok ? '' : `did not complete (${instant.finalStatus}${instant.error ? `: ${instant.error}` : ''}); `}$${instant.usdPerThousand} per 1,000; ` +
          c.paths.map((p) => `${p.path} $${p.usdPerThousand}/1k (${p.dominant.part} ${Math.round(p.dominant.share * 100)}%)`).join('; ')
        : (c.error ?? 'not measured'),
    });
  }
  return t;
};

/**
 * BENCH_PHASES=cold,overhead,scale,throughput,cost runs a subset. Calls run with any phase but
 * cost (the others need its fixtures); cost runs last, on a local stack of its own.
 */
const phases = new Set((process.env.BENCH_PHASES ?? 'cold,overhead,scale,throughput,cost').split(',').map((p) => p.trim()));
/** BENCH_COST_BUDGET_S gives the cost phase more time on a machine busy with other work (its bookings must finish their lives). */
const COST_BUDGET_MS = Number(process.env.BENCH_COST_BUDGET_S ?? 90) * 1000;

const main = async (): Promise<number> => {
  const deadline = started + BUDGET_MS;
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: platform(),
      loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    },
    targets: [],
  };
  let env: BenchEnv | undefined;
  let failed = false;
  try {
    if (phases.has('cold')) {
      results.coldStart = await runColdStart(log);
      log(`cold start done in ${results.coldStart.seconds} s`);
    }

    if ([...phases].some((p) => p !== 'cost' && p !== '')) {
      const isolated = process.env.BENCH_STACK === 'worker';
      log(`starting the local stack (DynamoDB Local, local Step Functions, gateway) ${isolated ? 'in a worker thread' : 'in-process'}`);
      // In-process is the measure of record: in a worker, the floor itself is slower (bench/README.md §2).
      env = await startBenchEnv({ isolated });
      const e = env;
      // The cost phase's share of the budget is kept for it.
      const remaining = () => deadline - Date.now() - (phases.has('cost') ? COST_BUDGET_MS : 0);
      await e.probe.asBench(async () => {
        const calls = await runCalls(e, Date.now() + 120_000 * STRETCH, log);
        results.calls = calls.result;
        log(`calls done in ${calls.result.seconds} s`);

        if (phases.has('overhead')) results.overhead = await runOverhead(e, calls.fixtures, Date.now() + Math.min(240_000 * STRETCH, remaining() - 150_000), log);
        if (phases.has('scale')) results.scale = await runScale(e, Date.now() + Math.min(120_000 * STRETCH, remaining() - 80_000), log);
        if (phases.has('throughput')) results.throughput = await runThroughput(e, Date.now() + Math.min(90_000 * STRETCH, remaining() - 20_000), log);
      });
      log('stopping the local stack');
      env = undefined;
      await e.stop().catch((err: unknown) => log(`could not stop the local stack cleanly: ${(err as Error).message}`));
    }
    if (phases.has('cost')) {
      log(`cost: one booking per path on a local stack of its own (time scale ×${COST_TIME_SCALE})`);
      results.cost = await runCost(log, Date.now() + Math.min(COST_BUDGET_MS, Math.max(30_000, deadline - Date.now())));
      log(`cost done in ${results.cost.seconds} s`);
    }
  } catch (e) {
    failed = true;
    results.error = (e as Error).stack ?? String(e);
  } finally {
    if (env) {
      log('stopping the local stack');
      await env.stop().catch((e: unknown) => log(`could not stop the local stack cleanly: ${(e as Error).message}`));
    }
  }
  results.finishedAt = new Date().toISOString();
  results.totalSeconds = Number(((Date.now() - started) / 1000).toFixed(1));
  results.machine.loadAverageAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
  results.targets = targetsOf(results);
  const dir = join(ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderReport(results)}\n\nwritten: bench-results/latest.json\n`);
  return failed ? 1 : 0;
};

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
