/**
 * 6. Cost per booking, measured by counting: one booking driven through its whole life on each
 * path, on a local stack of its own whose workflow waits run COST_TIME_SCALE times faster, then
 * priced with AWS list prices (PRICES); what is counted is listed in bench/README.md. The stack
 * runs in a child process (this file, with `--child`): the handlers' modules keep their clients
 * and configuration for the life of a process, and the time scale is read when the local Step
 * Functions service starts, so neither the scale nor a second stack can touch the other phases.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BookingLife, ExecutionCount } from './lib/booking-life';
import type { Invocation, InvocationKind } from './lib/ledger';

export const PRICES = {
  source:
    'AWS list prices, us-east-1 (aws.amazon.com/api-gateway/pricing, /lambda/pricing, /dynamodb/pricing/on-demand, /step-functions/pricing, /eventbridge/pricing: Scheduler), first tiers, no free tier',
  /** In effect since this date (DynamoDB on-demand's last change, 2024-11-01); not re-checked online for this run. */
  date: '2024-11-01',
  apiGatewayHttpPerMillionRequests: 1.0,
  webSocketPerMillionMessages: 1.0,
  webSocketMessageBytes: 32 * 1024,
  webSocketPerMillionConnectionMinutes: 0.25,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaMemoryGb: 0.5,
  dynamoPerMillionWriteRequestUnits: 0.625,
  dynamoPerMillionReadRequestUnits: 0.125,
  stepFunctionsPerThousandTransitions: 0.025,
  /** EventBridge Scheduler: per invocation of a target (schedules and API calls themselves are free). */
  schedulerPerMillionInvocations: 1.0,
} as const;

/** The target: a completed INSTANT booking costs at most this per 1,000 bookings. */
export const MAX_INSTANT_USD_PER_THOUSAND = 0.25;
/** Waits, deadlines and timeouts of this phase's workflow run this many times faster. */
export const COST_TIME_SCALE = 600;

export interface CostCounts {
  /** HTTP API requests of the journey, by route. */
  apiRequests: number;
  apiRoutes: Record<string, number>;
  lambdaInvocations: number;
  lambdaByKind: Record<InvocationKind, number>;
  /** Sum of the invocations' durations rounded up to 1 ms each (as billed), and the GB-s at 512 MB. */
  lambdaBilledMs: number;
  lambdaGbSeconds: number;
  dynamoReadUnits: number;
  dynamoWriteUnits: number;
  /** Of the write units, those DynamoDB reported for the global secondary indexes. */
  dynamoIndexWriteUnits: number;
  dynamoCalls: number;
  /** Calls that failed (conditions, cancelled transactions): DynamoDB returns no capacity for them, so none is counted. */
  dynamoFailedCalls: number;
  stateTransitions: number;
  /** The timeline's schedules that invoked their target (retries included). */
  schedulerInvocations: number;
  /** PostToConnection calls, and the 32 KB units they are billed in. */
  webSocketMessages: number;
  webSocketMessageUnits: number;
  /** The two sockets' time open, each rounded up to a whole minute. */
  webSocketConnectionMinutes: number;
}

export interface CostUsd {
  apiGateway: number;
  webSocket: number;
  lambda: number;
  dynamodb: number;
  stepFunctions: number;
  scheduler: number;
  total: number;
}

/** One booking's life (bench/lib/booking-life.ts) as counted and priced. */
export interface CostPath extends Pick<BookingLife, 'path' | 'sessionId' | 'finalStatus' | 'ok' | 'error' | 'seconds'> {
  counts: CostCounts;
  usdPerBooking: CostUsd;
  usdPerThousand: number;
  usdPerMillion: number;
  /** The part of the bill that weighs most, and its share of the total. */
  dominant: { part: keyof Omit<CostUsd, 'total'>; share: number };
  /** Per function: invocations, median ms, capacity. */
  functions: { kind: InvocationKind; name: string; invocations: number; ms: number; readUnits: number; writeUnits: number; indexWriteUnits: number }[];
  execution: ExecutionCount | null;
  /** Cross-checks: transitions counted from the history vs the local service's counter; task invocations vs TaskScheduled events. */
  checks: { transitionsMatchLocalCounter: boolean | null; taskInvocationsMatchHistory: boolean | null; unattributedDynamoCalls: number; pushesReceived: boolean };
  /** The bench's GET /sessions/{id} polls while it waited (not charged). */
  pollsExcluded: number;
}

export interface CostResult {
  timeScale: number;
  seconds: number;
  paths: CostPath[];
  target: { maxUsdPerThousand: number; instantUsdPerThousand: number | null; pass: boolean };
  prices: typeof PRICES;
  notes: string[];
  error?: string;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const sig = (x: number) => Number(x.toPrecision(3));
const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1]! : (s[(s.length >> 1) - 1]! + s[s.length >> 1]!) / 2) : 0;
};

export const countLife = (life: BookingLife): CostCounts => {
  const billed = life.ledger.invocations.filter((i) => !i.poll);
  const apiRoutes: Record<string, number> = {};
  for (const i of billed.filter((x) => x.kind === 'http')) apiRoutes[i.name] = (apiRoutes[i.name] ?? 0) + 1;
  const lambdaByKind: Record<InvocationKind, number> = { http: 0, step: 0, stream: 0, ws: 0, schedule: 0 };
  for (const i of billed) lambdaByKind[i.kind] += 1;
  const lambdaBilledMs = sum(billed.map((i) => Math.max(1, Math.ceil(i.ms))));
  const u = life.ledger.unattributed;
  const ex = life.execution;
  return {
    apiRequests: lambdaByKind.http,
    apiRoutes,
    lambdaInvocations: billed.length,
    lambdaByKind,
    lambdaBilledMs,
    lambdaGbSeconds: (lambdaBilledMs / 1000) * PRICES.lambdaMemoryGb,
    dynamoReadUnits: sum(billed.map((i) => i.readUnits)) + u.readUnits,
    dynamoWriteUnits: sum(billed.map((i) => i.writeUnits)) + u.writeUnits,
    dynamoIndexWriteUnits: sum(billed.map((i) => i.indexWriteUnits)),
    dynamoCalls: sum(billed.map((i) => i.ddbCalls)) + u.ddbCalls,
    dynamoFailedCalls: sum(billed.map((i) => i.ddbFailed)),
    stateTransitions: ex ? ex.statesEntered.length + ex.retries : 0,
    schedulerInvocations: lambdaByKind.schedule,
    webSocketMessages: life.ledger.pushes.length,
    webSocketMessageUnits: sum(life.ledger.pushes.map((bytes) => Math.max(1, Math.ceil(bytes / PRICES.webSocketMessageBytes)))),
    webSocketConnectionMinutes: sum(life.websocket.connectedMs.map((ms) => Math.max(1, Math.ceil(ms / 60_000)))),
  };
};

export const priceCounts = (c: CostCounts): CostUsd => {
  const usd = {
    apiGateway: (c.apiRequests * PRICES.apiGatewayHttpPerMillionRequests) / 1e6,
    webSocket: (c.webSocketMessageUnits * PRICES.webSocketPerMillionMessages + c.webSocketConnectionMinutes * PRICES.webSocketPerMillionConnectionMinutes) / 1e6,
    lambda: (c.lambdaInvocations * PRICES.lambdaPerMillionRequests) / 1e6 + c.lambdaGbSeconds * PRICES.lambdaArmPerGbSecond,
    dynamodb: (c.dynamoReadUnits * PRICES.dynamoPerMillionReadRequestUnits + c.dynamoWriteUnits * PRICES.dynamoPerMillionWriteRequestUnits) / 1e6,
    stepFunctions: (c.stateTransitions * PRICES.stepFunctionsPerThousandTransitions) / 1000,
    scheduler: (c.schedulerInvocations * PRICES.schedulerPerMillionInvocations) / 1e6,
  };
  return { ...usd, total: sum(Object.values(usd)) };
};

const functionsOf = (invocations: Invocation[]): CostPath['functions'] => {
  const by = new Map<string, Invocation[]>();
  for (const i of invocations.filter((x) => !x.poll)) by.set(`${i.kind}\u0000${i.name}`, [...(by.get(`${i.kind}\u0000${i.name}`) ?? []), i]);
  return [...by.values()].map((list) => ({
    kind: list[0]!.kind,
    name: list[0]!.name,
    invocations: list.length,
    ms: Number(medianOf(list.map((i) => i.ms)).toFixed(1)),
    readUnits: Number(sum(list.map((i) => i.readUnits)).toFixed(2)),
    writeUnits: Number(sum(list.map((i) => i.writeUnits)).toFixed(2)),
    indexWriteUnits: Number(sum(list.map((i) => i.indexWriteUnits)).toFixed(2)),
  }));
};

export const pricePath = (life: BookingLife): CostPath => {
  const counts = countLife(life);
  const usd = priceCounts(counts);
  const parts = (Object.keys(usd) as (keyof CostUsd)[]).filter((k): k is keyof Omit<CostUsd, 'total'> => k !== 'total');
  const top = parts.reduce((a, b) => (usd[b] > usd[a] ? b : a));
  const ex = life.execution;
  return {
    path: life.path,
    sessionId: life.sessionId,
    finalStatus: life.finalStatus,
    ok: life.ok,
    ...(life.error ? { error: life.error } : {}),
    seconds: life.seconds,
    counts: {
      ...counts,
      lambdaGbSeconds: sig(counts.lambdaGbSeconds),
      dynamoReadUnits: Number(counts.dynamoReadUnits.toFixed(2)),
      dynamoWriteUnits: Number(counts.dynamoWriteUnits.toFixed(2)),
    },
    usdPerBooking: Object.fromEntries(Object.entries(usd).map(([k, v]) => [k, sig(v)])) as unknown as CostUsd,
    usdPerThousand: sig(usd.total * 1e3),
    usdPerMillion: sig(usd.total * 1e6),
    dominant: { part: top, share: usd.total ? Number((usd[top] / usd.total).toFixed(2)) : 0 },
    functions: functionsOf(life.ledger.invocations),
    execution: ex,
    checks: {
      transitionsMatchLocalCounter: ex && ex.localTransitions !== null ? ex.localTransitions === counts.stateTransitions : null,
      taskInvocationsMatchHistory: ex ? ex.tasksScheduled === counts.lambdaByKind.step : null,
      unattributedDynamoCalls: life.ledger.unattributed.ddbCalls,
      pushesReceived: life.websocket.framesReceived >= life.ledger.pushes.length,
    },
    pollsExcluded: life.ledger.invocations.filter((i) => i.poll).length,
  };
};

const NOTES = [
  "One booking per path, driven through its whole life on a local stack of its own (LOCAL_TIME_SCALE: waits and deadlines compressed; the application clock is real), one after the other, each waiting until the stack is quiet: everything counted in between is that booking's.",
  "API requests: the journey's HTTP API requests (frontend POSTs and the Paystack webhook; no Zoom webhook in these paths). The bench's GET /sessions/{id} polls while it waits are not counted (a frontend hears of the change on the WebSocket).",
  "Lambda: each API request, each workflow task invocation (retries included; cross-checked with the history's TaskScheduled events), each stream-consumer batch (startWorkflow, pushNotifications), the WebSocket authorizer, $connect and $disconnect of the two sockets. Duration measured in-process on this machine (tsx, no bundling; API requests timed in the local gateway, JWT check included), rounded up to 1 ms each, 512 MB Arm.",
  "DynamoDB: ConsumedCapacity of every call of those invocations as DynamoDB Local reports it (transactional writes 2 units per KB, each GSI the item lands in charged too), reads and writes apart (by DynamoDB's split when given, else by the command), with the GSIs' share of the writes; failed conditional writes report none and are counted apart. Stream reads by Lambda are free; the local execution store's writes (AWS keeps executions itself) are not counted.",
  "Step Functions: state-entered events of the execution's history (every state: Task, Choice, Wait, Succeed, Fail…) plus task retries; cross-checked with the local service's own transition counter.",
  "EventBridge Scheduler: each invocation of the timeline's target by a schedule (reminders, start, end; a request's reminders and expiry), retries included, at $1.00 per million; the target's run is counted as a Lambda invocation too. Creating, moving and deleting schedules is free.",
  "WebSocket: PostToConnection calls in 32 KB units; connection minutes = the two sockets' real time open during the run, each rounded up to a minute (the compressed run; a real user's visits are not modelled).",
  'Not included: CloudWatch Logs and metrics, X-Ray, Secrets Manager, data transfer, Paystack and Zoom fees, free tiers.',
];

/** Runs the child (this file with `--child`) and prices what it measured. */
export const runCost = async (log: (line: string) => void, deadline: number): Promise<CostResult> => {
  const t0 = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'mentorship-bench-cost-'));
  const out = join(dir, 'lives.json');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      // Its own process group, so a timeout ends DynamoDB Local with it.
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cost.ts'), '--child', out, String(deadline - 15_000)], {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, LOCAL_TIME_SCALE: String(COST_TIME_SCALE) },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      let buffered = '';
      child.stderr.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) log(line.startsWith('cost:') ? line : `cost (child): ${line}`);
      });
      const kill = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(
        () => {
          log('cost: the child ran past the deadline, stopping it');
          kill('SIGTERM');
          setTimeout(() => kill('SIGKILL'), 5_000).unref();
        },
        Math.max(5_000, deadline - Date.now()),
      );
      child.once('error', reject);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    let measured: { timeScale: number; lives: BookingLife[]; error?: string };
    try {
      measured = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`the cost child wrote no result (exit code ${code})`);
    }
    const paths = measured.lives.map(pricePath);
    const instant = paths.find((p) => p.path === 'INSTANT completed');
    return {
      timeScale: measured.timeScale,
      seconds: Number(((Date.now() - t0) / 1000).toFixed(1)),
      paths,
      target: {
        maxUsdPerThousand: MAX_INSTANT_USD_PER_THOUSAND,
        instantUsdPerThousand: instant?.ok ? instant.usdPerThousand : null,
        pass: Boolean(instant?.ok && instant.usdPerThousand <= MAX_INSTANT_USD_PER_THOUSAND),
      },
      prices: PRICES,
      notes: NOTES,
      ...(measured.error ? { error: measured.error } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The child: runs the booking lives and writes them to the file named on the command line. */
const child = async (out: string, deadline: number) => {
  const { runBookingLives } = await import('./lib/booking-life');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    writeFileSync(out, JSON.stringify(await runBookingLives(log, deadline)));
    return 0;
  } catch (e) {
    log(`cost: ${(e as Error).stack ?? String(e)}`);
    writeFileSync(out, JSON.stringify({ timeScale: Number(process.env.LOCAL_TIME_SCALE), lives: [], error: (e as Error).message }));
    return 1;
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--child') {
  void child(process.argv[3]!, Number(process.argv[4])).then((code) => process.exit(code));
}
