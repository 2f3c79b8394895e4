/** The printed report: one table per section, PASS/FAIL next to every figure that has a target. */
import type { CallsResult } from './calls';
import type { ColdStartResult } from './cold-start';
import type { CostResult } from './cost';
import type { OverheadResult } from './overhead';
import type { ScaleResult } from './scale';
import type { ThroughputResult } from './throughput';

export interface BenchResults {
  startedAt: string;
  finishedAt?: string;
  totalSeconds?: number;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  coldStart?: ColdStartResult;
  calls?: CallsResult;
  overhead?: OverheadResult;
  scale?: ScaleResult;
  throughput?: ThroughputResult;
  cost?: CostResult;
  targets: { target: string; pass: boolean; detail: string }[];
  error?: string;
}

const verdict = (pass: boolean | null | undefined) => (pass === null || pass === undefined ? '' : pass ? 'PASS' : 'FAIL');
const f = (x: number | null | undefined, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

const table = (header: string[], rows: string[][], right: number[] = []): string[] => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
};

export const renderReport = (r: BenchResults): string => {
  const out: string[] = [];
  const title = (s: string) => out.push('', `== ${s}`, '');

  if (r.coldStart) {
    const c = r.coldStart;
    title(
      `1. Cold start: CDK bundles (esbuild, CJS, minified, source maps, @aws-sdk/* external), init = require() in a fresh Node ${c.node} process with NODE_OPTIONS=${c.nodeOptions || '(none)'}, median of ${c.runs} (after ${c.warmupRuns} warm-up); baseline = the same SDK clients alone. Targets: bundle ≤ ${kb(c.maxBundleBytes)} KB, init ≤ ${c.maxInitRatio}× baseline`,
    );
    out.push(
      ...table(
        ['function', 'kind', 'KB', 'size', 'init ms', 'base ms', 'ratio', 'rounds p25–p75', 'Δ ms', 'init', 'SDK clients at init', 'largest input'],
        c.functions.map((fn) => [
          fn.name,
          fn.kind,
          kb(fn.bytes),
          verdict(fn.sizePass),
          f(fn.initMs),
          f(fn.baselineMs),
          f(fn.ratio),
          fn.ratioSpread ? `${f(fn.ratioSpread[0])}–${f(fn.ratioSpread[1])}` : '',
          f(fn.deltaMs, 1),
          fn.error ? `ERROR ${fn.error.slice(0, 60)}` : verdict(fn.initPass),
          fn.sdkAtLoad.map((p) => p.replace('@aws-sdk/', '').replace('client-', '')).join(',') || '(none)',
          fn.topInputs[0] ? `${fn.topInputs[0].input} ${kb(fn.topInputs[0].bytes)} KB` : '',
        ]),
        [2, 4, 5, 6, 8],
      ),
    );
    const sizeOk = c.functions.filter((x) => x.sizePass).length;
    const initOk = c.functions.filter((x) => x.initPass).length;
    out.push('', `bundles ≤ ${kb(c.maxBundleBytes)} KB: ${sizeOk}/${c.functions.length}   init ≤ ${c.maxInitRatio}× baseline: ${initOk}/${c.functions.length}   (${c.seconds} s)`);
    out.push('baselines: ' + c.baselines.map((b) => `${b.key.replace(/@aws-sdk\//g, '')} ${f(b.initMs)} ms`).join('; '));
    if (c.zodProbes.length) out.push('zod alone (same bundling, same runs): ' + c.zodProbes.map((z) => `${z.name}: ${kb(z.bytes)} KB, init ${f(z.initMs)} ms`).join('; '));
    for (const s of c.sdkComparison) {
      out.push(
        `SDK external vs bundled (${s.name}): ${kb(s.externalBytes)} KB vs ${kb(s.bundledBytes)} KB (map ${kb(s.bundledMapBytes)} KB); init ${f(s.externalMs)} vs ${f(s.bundledMs)} ms (bundled/external ${f(s.ratioBundledToExternal)}), with --enable-source-maps ${f(s.externalMapsMs)} vs ${f(s.bundledMapsMs)} ms → ${s.faster} is faster`,
      );
    }
  }

  if (r.overhead) {
    const o = r.overhead;
    title(
      `2. Overhead against the database floor: 200 requests per side after a warm-up, API and floor in alternating rounds (reads at c=1: 20×10, the rest 4×50; writes at c=1 start when the previous request's workflow steps are done); floor = the route's own DynamoDB calls sent directly. Target: p50 ratio ≤ 1.5 at concurrency 1`,
    );
    out.push(
      ...table(
        [
          'route',
          'c',
          'api p50',
          'api p99',
          'floor p50',
          'floor p99',
          'p50 ×',
          'p99 ×',
          'gateway',
          'in ddb',
          'in sfn',
          'rest',
          'p50 × w/o sfn',
          'ddb calls',
          'sfn calls',
          'errors api/floor',
          'target',
        ],
        o.routes.map((x) => [
          x.route,
          String(x.concurrency),
          f(x.api.latency.p50),
          f(x.api.latency.p99),
          f(x.raw.latency.p50),
          f(x.raw.latency.p99),
          f(x.p50Ratio),
          f(x.p99Ratio),
          f(x.api.serverP50),
          f(x.api.ddbMs),
          f(x.api.sfnMs),
          f(x.api.appMs),
          x.api.sfnCalls ? f((x.api.latency.p50 - (x.api.sfnMs ?? 0)) / x.raw.latency.p50) : '',
          String(x.api.ddbCalls ?? '–'),
          String(x.api.sfnCalls ?? '–'),
          `${x.api.errors}/${x.raw.errors}`,
          verdict(x.pass),
        ]),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      ),
    );
    out.push(
      '',
      `ms; n = ${o.routes[0]?.api.latency.n ?? 0} per side (${o.seconds} s). gateway = time inside the local gateway (medians); in ddb / in sfn = of which waiting for DynamoDB / the local Step Functions API; rest = JWT check, event, middy, zod, use case, JSON and event-loop waits; p50 × w/o sfn = (api p50 − in sfn) / floor p50.`,
    );
  }

  if (r.calls) {
    title(
      "3. Calls per request (SDK middleware on the handlers' document client; capacity = ConsumedCapacity TOTAL as DynamoDB Local reports it). Target: read routes one call; write routes ≤ 1 read and ≤ 1 write; remote = calls to anything but DynamoDB (none allowed, but Paystack's checkout link for payment)",
    );
    out.push(
      ...table(
        ['route', 'kind', 'runs', 'calls', 'reads', 'writes', 'capacity', 'remote', 'sequence', 'target'],
        r.calls.routes.map((x) => [
          x.route,
          x.kind,
          String(x.runs),
          String(x.ddbCalls),
          String(x.reads),
          String(x.writes),
          f(x.capacity, 1),
          Object.entries(x.remote ?? {})
            .filter(([, n]) => n > 0)
            .map(([d, n]) => `${d} ${n}`)
            .join(', ') || '0',
          x.sequence,
          verdict(x.pass),
        ]),
        [2, 3, 4, 5, 6, 7],
      ),
    );
  }

  if (r.scale) {
    const s = r.scale;
    title(`4. Scale: a tutor with ${s.small} sessions vs one with ${s.large.toLocaleString('en')} (seeded in ${s.seedSeconds} s), p50 at concurrency 1. Target: ratio ≤ 1.2`);
    out.push(
      ...table(
        ['route', `${s.small} p50`, `${s.large} p50`, `${s.small} p99`, `${s.large} p99`, 'ratio', 'items', 'target'],
        s.rows.map((x) => [
          x.route,
          f(x.raw.latency.p50),
          f(x.api.latency.p50),
          f(x.raw.latency.p99),
          f(x.api.latency.p99),
          f(x.p50Ratio),
          x.itemsSmall === null ? '–' : `${x.itemsSmall} vs ${x.itemsLarge}`,
          verdict(x.pass),
        ]),
        [1, 2, 3, 4, 5],
      ),
    );
  }

  if (r.throughput) {
    const t = r.throughput;
    title('5. Throughput: REQUEST bookings through the local gateway (booking + workflow start), 32 concurrent clients');
    out.push(
      ...table(
        ['run', 'booked/attempts', 'seconds', 'bookings/s', 'p50 ms', 'p99 ms', 'errors', 'conflicts retried'],
        t.distinct.map((x) => [x.name, `${x.booked}/${x.attempts}`, f(x.seconds), f(x.bookingsPerSecond, 1), f(x.p50), f(x.p99), String(x.errors), String(x.transactionConflicts)]),
        [1, 2, 3, 4, 5, 6, 7],
      ),
    );
    out.push(
      '',
      `32 clients fighting over 4 slots, ${t.fight.rounds.length} rounds: winners per round ${t.fight.rounds.map((x) => x.winners).join(', ')}; losers ${JSON.stringify(t.fight.rounds[0]?.codes ?? {})} per round; other errors ${t.fight.otherErrors}; median round ${f(t.fight.medianSeconds, 3)} s → ${verdict(t.fight.exactlyFourEveryRound)} (exactly 4 winners every round)`,
    );
  }

  if (r.cost) {
    const c = r.cost;
    title(
      `6. Cost per booking: one booking driven through its whole life per path (time scale ×${c.timeScale}), everything it ran counted, priced at AWS list prices (us-east-1, ${c.prices.date}). Target: completed INSTANT ≤ $${c.target.maxUsdPerThousand.toFixed(2)} per 1,000`,
    );
    const usd = (x: number) => (x === 0 ? '0' : x < 0.01 ? x.toExponential(2) : x.toFixed(4));
    out.push(
      ...table(
        [
          'path',
          'end',
          'transitions',
          'λ calls',
          'http/step/stream/ws/sched',
          'λ GB-s',
          'RRU',
          'WRU (of which GSI)',
          'ddb calls',
          'ws msgs',
          'conn min',
          'API reqs',
          '$/booking',
          '$/1,000',
          '$/million',
          'dominant',
          'target',
        ],
        c.paths.map((p) => [
          p.path,
          p.ok ? p.finalStatus : `${p.finalStatus} ✗`,
          String(p.counts.stateTransitions),
          String(p.counts.lambdaInvocations),
          `${p.counts.lambdaByKind.http}/${p.counts.lambdaByKind.step}/${p.counts.lambdaByKind.stream}/${p.counts.lambdaByKind.ws}/${p.counts.lambdaByKind.schedule}`,
          f(p.counts.lambdaGbSeconds, 3),
          f(p.counts.dynamoReadUnits, 1),
          `${f(p.counts.dynamoWriteUnits, 1)} (${f(p.counts.dynamoIndexWriteUnits, 1)})`,
          String(p.counts.dynamoCalls),
          String(p.counts.webSocketMessages),
          String(p.counts.webSocketConnectionMinutes),
          String(p.counts.apiRequests),
          usd(p.usdPerBooking.total),
          f(p.usdPerThousand, 4),
          f(p.usdPerMillion, 0),
          `${p.dominant.part} ${Math.round(p.dominant.share * 100)}%`,
          p.path === 'INSTANT completed' ? verdict(c.target.pass) : '',
        ]),
        [2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
      ),
    );
    out.push('', 'USD per 1,000 bookings by part:');
    out.push(
      ...table(
        ['path', 'API Gateway', 'WebSocket', 'Lambda', 'DynamoDB', 'Step Functions', 'Scheduler', 'total'],
        c.paths.map((p) => [
          p.path,
          ...(['apiGateway', 'webSocket', 'lambda', 'dynamodb', 'stepFunctions', 'scheduler', 'total'] as const).map((k) => f(p.usdPerBooking[k] * 1000, 4)),
        ]),
        [1, 2, 3, 4, 5, 6, 7],
      ),
    );
    out.push('');
    for (const p of c.paths) {
      const ch = p.checks;
      out.push(
        `${p.path}: API ${Object.entries(p.counts.apiRoutes)
          .map(([k, v]) => (v > 1 ? `${k} ×${v}` : k))
          .join(', ')}; ` +
          `states ${p.execution ? `${p.execution.statesEntered.length} entered + ${p.execution.retries} retries (local counter ${p.execution.localTransitions ?? '–'}: ${ch.transitionsMatchLocalCounter ? 'same' : 'DIFFERENT'})` : '–'}; ` +
          `tasks invoked ${p.counts.lambdaByKind.step} (history TaskScheduled ${p.execution?.tasksScheduled ?? '–'}: ${ch.taskInvocationsMatchHistory ? 'same' : 'DIFFERENT'}); ` +
          `${p.counts.dynamoFailedCalls} failed ddb calls, ${ch.unattributedDynamoCalls} outside any invocation; ${p.pollsExcluded} polls not charged; ${p.seconds} s` +
          (p.error ? `; ERROR ${p.error}` : ''),
      );
    }
    out.push('', `prices: ${c.prices.source}; in effect since ${c.prices.date}. (${c.seconds} s)`);
    if (c.error) out.push(`COST PHASE ERROR: ${c.error}`);
  }

  title('Targets');
  out.push(
    ...table(
      ['target', 'result', 'detail'],
      r.targets.map((t) => [t.target, verdict(t.pass), t.detail]),
    ),
  );
  if (r.error) out.push('', `BENCH ERROR: ${r.error}`);
  out.push(
    '',
    `total run time: ${f(r.totalSeconds ?? Number.NaN, 1)} s on ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}; load average at start ${r.machine.loadAverageAtStart.join(' ')}, at end ${r.machine.loadAverageAtEnd?.join(' ') ?? '–'}`,
  );
  return out.join('\n');
};
