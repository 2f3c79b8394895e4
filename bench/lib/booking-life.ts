/**
 * One booking's whole life on the local stack, for each path the cost phase prices, with
 * everything it made the stack do recorded (bench/lib/ledger.ts) and its workflow execution's
 * history read back over the local Step Functions API, as one would from AWS. The bookings run
 * one after the other on a stack of their own, each waiting until the stack is quiet before the
 * next starts, so everything the ledger records in between is that booking's.
 */
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StopExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import WebSocket from 'ws';
import { LOCAL_AWS_ENV } from '../../infra/local/aws/dynamo';
import { signToken } from '../../infra/local/emulators/oidc/jwt';
import { BENCH_TUTORS, SESSION_MINUTES, startBenchEnv, type BenchEnv } from './env';
import { createLedger, POLL_HEADER, type Ledger, type LedgerSnapshot } from './ledger';

export const PATHS = ['INSTANT completed', 'REQUEST approved, paid, completed', 'REQUEST expired'] as const;
export type CostPathName = (typeof PATHS)[number];

/**
 * The slot: on the 15-minute grid, at least this far ahead (the demo terms' notice is 15 minutes).
 * The caller runs this with LOCAL_TIME_SCALE: each wait is computed from the application's real
 * clock, then lasts 1/scale of that, so a slot about 20 minutes ahead lives a few seconds per wait.
 */
const LEAD_MINUTES = 20;
const GRID_MS = 15 * 60_000;
const POLL_MS = 100;

export interface ExecutionCount {
  status: string;
  events: number;
  /** Every state entered, in order: `Type:Name`. */
  statesEntered: string[];
  /** Task attempts after the first within one state entry (a retry is a transition too). */
  retries: number;
  /** TaskScheduled events: the task invocations the history shows. */
  tasksScheduled: number;
  /** The local service's own count of transitions (entries + retries), for the cross-check. */
  localTransitions: number | null;
}

export interface BookingLife {
  path: CostPathName;
  sessionId: string;
  /** The session's status at the end (COMPLETED, REJECTED… or where it got stuck). */
  finalStatus: string;
  /** Whether the booking ended as the path says it should. */
  ok: boolean;
  error?: string;
  seconds: number;
  ledger: LedgerSnapshot;
  execution: ExecutionCount | null;
  websocket: { connections: number; connectedMs: number[]; framesReceived: number };
}

export interface LivesResult {
  timeScale: number;
  lives: BookingLife[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value; bounded. */
const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
};

interface Socket {
  ws: WebSocket;
  openedAt: number;
  closedAt?: number;
  frames: number;
}

const openSocket = (url: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const s: Socket = { ws, openedAt: 0, frames: 0 };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('WebSocket: no open within 10 s'));
    }, 10_000);
    ws.on('message', () => (s.frames += 1));
    ws.once('open', () => {
      clearTimeout(timer);
      s.openedAt = Date.now();
      resolve(s);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`WebSocket refused: ${res.statusCode}`));
    });
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });

const closeSocket = (s: Socket): Promise<void> =>
  new Promise((resolve) => {
    if (s.ws.readyState === WebSocket.CLOSED) return resolve();
    const timer = setTimeout(() => {
      s.ws.terminate();
      resolve();
    }, 5_000);
    s.ws.once('close', () => {
      clearTimeout(timer);
      s.closedAt = Date.now();
      resolve();
    });
    s.ws.close();
  });

/** Counts what the history holds, AWS's way: each state entered is a transition, each retry another. */
export const countHistory = (events: readonly HistoryEvent[]): Omit<ExecutionCount, 'status' | 'localTransitions'> => {
  const statesEntered: string[] = [];
  let retries = 0;
  let tasksScheduled = 0;
  let scheduledInEntry = 0;
  for (const e of events) {
    if (e.type?.endsWith('StateEntered')) {
      statesEntered.push(`${e.type.replace(/StateEntered$/, '')}:${e.stateEnteredEventDetails?.name ?? '?'}`);
      scheduledInEntry = 0;
    } else if (e.type === 'TaskScheduled') {
      tasksScheduled += 1;
      if (scheduledInEntry > 0) retries += 1;
      scheduledInEntry += 1;
    }
  }
  return { events: events.length, statesEntered, retries, tasksScheduled };
};

/** The student and the tutor each keep a WebSocket open meanwhile, so pushes happen as in production. */
export const runBookingLives = async (log: (line: string) => void, deadline: number): Promise<LivesResult> => {
  const ledger = createLedger();
  const env = await startBenchEnv({ wrapFunction: ledger.wrapFunction });
  try {
    ledger.setPorts({ gateway: env.stack.port, ws: Number(new URL(env.stack.wsUrl).port) });
    const { ddb } = await import('../../shared/data/client');
    ledger.installOn(ddb);
    const sfn = new SFNClient({
      endpoint: env.stack.sfnEndpoint,
      region: LOCAL_AWS_ENV.AWS_REGION,
      credentials: { accessKeyId: LOCAL_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: LOCAL_AWS_ENV.AWS_SECRET_ACCESS_KEY },
    });
    const { dynamoExecutionStore } = await import('../../infra/local/aws/stepfunctions/store');
    const store = dynamoExecutionStore();
    try {
      // Whatever starting and seeding set off is not a booking's.
      await quiet(ledger, 500, 10_000);
      ledger.take();
      const lives: BookingLife[] = [];
      for (const [i, path] of PATHS.entries()) {
        if (Date.now() > deadline) {
          log(`cost: out of time, ${path} not measured`);
          break;
        }
        lives.push(await live(env, ledger, sfn, store, path, BENCH_TUTORS[i]!, log, deadline));
      }
      return { timeScale: env.stack.timeScale, lives };
    } finally {
      sfn.destroy();
      ledger.uninstall();
    }
  } finally {
    await env.stop();
  }
};

/** Until no invocation has run for `quietMs` (bounded). */
const quiet = async (ledger: Ledger, quietMs: number, maxMs: number): Promise<boolean> => {
  const end = Date.now() + maxMs;
  while (Date.now() < end) {
    if (ledger.inFlight() === 0 && Date.now() - ledger.lastActivity() >= quietMs) return true;
    await sleep(Math.max(20, Math.min(quietMs, 100)));
  }
  return false;
};

const live = async (
  env: BenchEnv,
  ledger: Ledger,
  sfn: SFNClient,
  store: { get: (name: string) => Promise<{ stateTransitions: number } | undefined> },
  path: CostPathName,
  tutorId: string,
  log: (line: string) => void,
  deadline: number,
): Promise<BookingLife> => {
  const t0 = Date.now();
  const budget = () => Math.max(1_000, Math.min(60_000, deadline - Date.now()));
  // A student with an email address (Paystack's checkout needs one), as Cognito's ID token carries it.
  const studentId = `bench-cost-student-${PATHS.indexOf(path) + 1}`;
  const student = {
    id: studentId,
    token: await signToken(
      { sub: studentId, groups: ['student'], name: studentId, email: `${studentId}@example.com` },
      { dataDir: env.dataDir, expiresIn: '1h', issuer: env.stack.issuer },
    ),
  };
  const tutorToken = await env.token(tutorId, ['tutor']);
  const base = `http://127.0.0.1:${env.stack.port}`;
  const api = async (method: string, route: string, token: string, body?: unknown, poll = false) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (poll) headers[POLL_HEADER] = '1';
    const res = await fetch(`${base}${route}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const must = (r: { status: number; body: unknown }, status: number, what: string) => {
    if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body as any;
  };
  // What the checkout page's "Pay" button does; the emulator then sends the signed webhook.
  const checkout = async (authorizationUrl: string) => {
    const res = await fetch(authorizationUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=success',
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`checkout: ${res.status}`);
  };

  const sockets: Socket[] = [];
  let sessionId = '';
  let finalStatus = 'not booked';
  let error: string | undefined;
  const want = path === 'REQUEST expired' ? 'REJECTED' : 'COMPLETED';
  const arn = () => `${(process.env.STATE_MACHINE_ARN ?? '').replace(':stateMachine:', ':execution:')}:${sessionId}`;
  // Waiting for a callback: the last event of the history is a callback task's TaskSubmitted.
  const parked = (afterEventId: number, what: string) =>
    until(
      what,
      async () => {
        const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn(), reverseOrder: true, maxResults: 1 })).catch(() => undefined);
        const last = out?.events?.[0];
        return last?.type === 'TaskSubmitted' && (last.id ?? 0) > afterEventId ? last.id! : undefined;
      },
      Math.min(budget(), 15_000),
    );

  try {
    for (const token of [student.token, tutorToken]) sockets.push(await openSocket(`${env.stack.wsUrl}/?token=${token}`));
    const scheduledAt = new Date(Math.ceil((Date.now() + LEAD_MINUTES * 60_000) / GRID_MS) * GRID_MS).toISOString();
    const mode = path.startsWith('INSTANT') ? 'INSTANT' : 'REQUEST';
    const created = must(
      await api('POST', '/sessions', student.token, { tutorId, scheduledAt, durationMinutes: SESSION_MINUTES, title: 'Cost benchmark', bookingMode: mode }),
      201,
      'POST /sessions',
    );
    sessionId = created.session.id as string;
    finalStatus = created.session.status as string;
    if (path === 'INSTANT completed') {
      await parked(0, 'waiting for the payment');
      await checkout(created.payment.authorizationUrl as string);
    } else if (path === 'REQUEST approved, paid, completed') {
      const atDecision = await parked(0, 'waiting for the decision');
      must(await api('POST', `/sessions/${sessionId}/approve`, tutorToken), 200, 'POST /sessions/{id}/approve');
      await parked(atDecision, 'waiting for the payment');
      const payment = must(await api('POST', `/sessions/${sessionId}/payment`, student.token), 200, 'POST /sessions/{id}/payment');
      await checkout(payment.authorizationUrl as string);
    }
    finalStatus = await until(
      `${path}: status ${want}`,
      async () => {
        const s = await api('GET', `/sessions/${sessionId}`, student.token, undefined, true);
        const status = s.body?.status as string | undefined;
        if (status) finalStatus = status;
        if (status === want) return status;
        // Anything else final: the path went wrong (e.g. a payment window missed under load).
        if (status && ['CANCELLED', 'REJECTED', 'COMPLETED', 'NO_SHOW'].includes(status)) throw new Error(`${path}: ended ${status}, not ${want}`);
        return undefined;
      },
      budget(),
    );
    await until(
      'the execution to end',
      async () => {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn() }));
        return d.status === 'RUNNING' ? undefined : d.status;
      },
      Math.min(budget(), 15_000),
    );
  } catch (e) {
    error = (e as Error).message;
    log(`cost: ${path}: ${error}`);
    // A booking left half-way would go on (its deadlines) during the next one's count.
    if (sessionId) await sfn.send(new StopExecutionCommand({ executionArn: arn(), error: 'BenchCostAborted' })).catch(() => undefined);
  }
  // The last notifications' pushes run after the status changed: wait for the stack to be quiet.
  await quiet(ledger, 1_100, 10_000);
  await Promise.all(sockets.map(closeSocket));
  await quiet(ledger, 300, 5_000);
  const snapshot = ledger.take();

  let execution: ExecutionCount | null = null;
  if (sessionId) {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn(), maxResults: 1000, ...(nextToken ? { nextToken } : {}) })).catch(() => undefined);
      events.push(...(out?.events ?? []));
      nextToken = out?.nextToken;
      if (!nextToken) break;
    }
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: arn() })).catch(() => undefined);
    const record = await store.get(sessionId).catch(() => undefined);
    execution = { status: d?.status ?? 'unknown', ...countHistory(events), localTransitions: record?.stateTransitions ?? null };
  }
  const seconds = Number(((Date.now() - t0) / 1000).toFixed(1));
  log(`cost: ${path}: ${finalStatus} in ${seconds} s, ${snapshot.invocations.filter((i) => !i.poll).length} invocations, ${execution?.statesEntered.length ?? 0} states entered`);
  return {
    path,
    sessionId,
    finalStatus,
    ok: !error && finalStatus === want,
    ...(error ? { error } : {}),
    seconds,
    ledger: snapshot,
    execution,
    websocket: {
      connections: sockets.length,
      connectedMs: sockets.map((s) => (s.closedAt ?? Date.now()) - s.openedAt),
      framesReceived: sockets.reduce((n, s) => n + s.frames, 0),
    },
  };
};
