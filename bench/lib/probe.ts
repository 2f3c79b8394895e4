/**
 * Instrumentation of the local stack, in the thread that runs it, without touching its code: each HTTP request
 * any in-process server receives runs in an AsyncLocalStorage context (a request to the local
 * gateway with TRACE_HEADER is a traced request, every other one background), and the
 * handlers' document client and outgoing calls are recorded against it. The handler's awaits
 * keep the context, so every call a route makes is attributed to it, even at concurrency 32.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

export const TRACE_HEADER = 'x-bench-trace';

export interface DdbCall {
  command: string;
  ms: number;
  ok: boolean;
  error?: string;
  /** CancellationReasons codes of a cancelled transaction. */
  reasons?: string[];
  capacity?: number;
  input?: unknown;
}

export interface RequestTrace {
  id: string;
  ddb: DdbCall[];
  /** Outgoing HTTP calls by destination name (dynamodb, sfn, paystack, zoom, other). */
  outbound: Record<string, number>;
  /** Time waiting for those calls (request sent → response headers), by destination, ms. */
  outboundMs: Record<string, number>;
  serverMs?: number;
  startedAt: number;
}

type Store = { kind: 'request'; trace: RequestTrace } | { kind: 'bench' } | { kind: 'background' };

interface DdbLike {
  middlewareStack: {
    add: (mw: unknown, opts: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low'; override?: boolean }) => void;
    remove: (name: string) => boolean;
  };
}

export interface BackgroundCounters {
  ddbCalls: number;
  ddbCapacity: number;
  ddbCapacityRead: number;
  ddbCapacityWrite: number;
  outbound: number;
  lastActivity: number;
  conflicts: number;
}

/**
 * The probe as the bench drives it: asynchronous throughout, because the stack it watches may
 * run in a worker thread of its own (./stack-host.ts), where the probe itself is installed.
 */
export interface Probe {
  /** Runs the bench's own work (its HTTP client, its raw DynamoDB calls) outside every trace. */
  asBench: <T>(fn: () => Promise<T>) => Promise<T>;
  /** A trace for one request: send its id in TRACE_HEADER. */
  newTrace: () => RequestTrace;
  /** The trace of a finished request (and forget it). */
  take: (id: string) => Promise<RequestTrace | undefined>;
  /** Record inputs and ask for consumed capacity (phase 3 only: it changes the calls a little). */
  setCapture: (on: boolean) => Promise<void>;
  /** What the background (workflow steps, execution store, stream consumers) has done so far. */
  background: () => Promise<BackgroundCounters>;
  /** Waits until nothing in the background (workflow steps, execution store) has called out for `quietMs`. */
  settle: (quietMs?: number, maxMs?: number) => Promise<{ waitedMs: number; quiet: boolean }>;
  uninstall: () => void;
}

export const emptyTrace = (id: string): RequestTrace => ({ id, ddb: [], outbound: {}, outboundMs: {}, startedAt: 0 });

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);
export const isRead = (command: string) => READS.has(command);

const capacityOf = (cc: unknown): number | undefined => {
  if (!cc) return undefined;
  const list = Array.isArray(cc) ? cc : [cc];
  return list.reduce((sum: number, c: { CapacityUnits?: number }) => sum + (c?.CapacityUnits ?? 0), 0);
};

/**
 * `anyTrace`: a request whose TRACE_HEADER names no trace of this probe gets one under that id
 * (the bench's client is in another thread and made the id there).
 */
export const installProbe = (opts: { ddb: DdbLike; ports: Record<string, string>; anyTrace?: boolean }): Probe => {
  const als = new AsyncLocalStorage<Store>();
  const traces = new Map<string, RequestTrace>();
  let seq = 0;
  let capture = false;
  const background: BackgroundCounters = { ddbCalls: 0, ddbCapacity: 0, ddbCapacityRead: 0, ddbCapacityWrite: 0, outbound: 0, lastActivity: Date.now(), conflicts: 0 };

  // Node's `http.server.request.start` fires right before the server's 'request' handler runs.
  const onServerStart = (msg: unknown) => {
    const { request } = msg as { request: IncomingMessage };
    const id = request.headers[TRACE_HEADER];
    let trace = typeof id === 'string' ? traces.get(id) : undefined;
    if (!trace && opts.anyTrace && typeof id === 'string') traces.set(id, (trace = emptyTrace(id)));
    if (trace) {
      trace.startedAt = performance.now();
      (request as IncomingMessage & { benchTrace?: RequestTrace }).benchTrace = trace;
      als.enterWith({ kind: 'request', trace });
    } else {
      als.enterWith({ kind: 'background' });
    }
  };
  const onServerFinish = (msg: unknown) => {
    const { request } = msg as { request: IncomingMessage & { benchTrace?: RequestTrace } };
    const trace = request.benchTrace;
    if (trace) trace.serverMs = performance.now() - trace.startedAt;
  };
  const destination = (req: ClientRequest): string => {
    const host = String(req.getHeader('host') ?? req.host ?? '');
    const port = /:(\d+)$/.exec(host)?.[1];
    return (port && opts.ports[port]) || 'other';
  };
  const pendingOut = new WeakMap<ClientRequest, { trace: RequestTrace; dest: string; t0: number }>();
  // Outgoing calls by destination (DynamoDB, Step Functions, ...); background ones keep the time
  // of the last, for `settle()`.
  const onClientStart = (msg: unknown) => {
    const { request } = msg as { request: ClientRequest };
    const store = als.getStore();
    if (store?.kind === 'bench') return;
    if (store?.kind === 'request') {
      const d = destination(request);
      store.trace.outbound[d] = (store.trace.outbound[d] ?? 0) + 1;
      pendingOut.set(request, { trace: store.trace, dest: d, t0: performance.now() });
      return;
    }
    background.outbound += 1;
    background.lastActivity = Date.now();
  };
  const onClientFinish = (msg: unknown) => {
    const { request } = msg as { request: ClientRequest };
    const out = pendingOut.get(request);
    if (out) {
      pendingOut.delete(request);
      out.trace.outboundMs[out.dest] = (out.trace.outboundMs[out.dest] ?? 0) + (performance.now() - out.t0);
    }
    const store = als.getStore();
    if (store?.kind !== 'request' && store?.kind !== 'bench') background.lastActivity = Date.now();
  };
  // fetch: counted, not timed (its time shows in the request's own latency).
  const onFetchStart = (msg: unknown) => {
    const { request } = msg as { request: { origin?: string } };
    const store = als.getStore();
    if (store?.kind === 'bench') return;
    if (store?.kind === 'request') {
      const port = /:(\d+)$/.exec(request.origin ?? '')?.[1];
      const d = (port && opts.ports[port]) || 'other';
      store.trace.outbound[d] = (store.trace.outbound[d] ?? 0) + 1;
      return;
    }
    background.outbound += 1;
    background.lastActivity = Date.now();
  };
  dc.subscribe('http.server.request.start', onServerStart);
  dc.subscribe('http.server.response.finish', onServerFinish);
  dc.subscribe('http.client.request.start', onClientStart);
  dc.subscribe('http.client.response.finish', onClientFinish);
  dc.subscribe('undici:request:create', onFetchStart);

  const probe: Probe = {
    asBench: (fn) => als.run({ kind: 'bench' }, fn),
    newTrace: () => {
      const trace = emptyTrace(`t${++seq}`);
      traces.set(trace.id, trace);
      return trace;
    },
    take: async (id) => {
      const t = traces.get(id);
      traces.delete(id);
      return t;
    },
    setCapture: async (on) => {
      capture = on;
    },
    background: async () => ({ ...background }),
    settle: async (quietMs = 250, maxMs = 20_000) => {
      const t0 = Date.now();
      for (;;) {
        const idle = Date.now() - background.lastActivity;
        if (idle >= quietMs) return { waitedMs: Date.now() - t0, quiet: true };
        if (Date.now() - t0 > maxMs) return { waitedMs: Date.now() - t0, quiet: false };
        await new Promise((r) => setTimeout(r, Math.max(10, quietMs - idle)));
      }
    },
    uninstall: () => {
      dc.unsubscribe('http.server.request.start', onServerStart);
      dc.unsubscribe('http.server.response.finish', onServerFinish);
      dc.unsubscribe('http.client.request.start', onClientStart);
      dc.unsubscribe('http.client.response.finish', onClientFinish);
      dc.unsubscribe('undici:request:create', onFetchStart);
      opts.ddb.middlewareStack.remove('benchCallProbe');
    },
  };

  // On the handlers' own document client (`ddb` of shared/data/client.ts, the only client
  // shared/data uses): each command, its outcome and, when `capture` is on, the consumed capacity
  // (it sets ReturnConsumedCapacity: TOTAL) and a copy of the input (the raw floor replays it).
  const middleware =
    (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
    async (args: { input: Record<string, unknown> }) => {
      const store = als.getStore();
      const command = context.commandName ?? 'unknown';
      const call: DdbCall = { command, ms: 0, ok: false };
      if (capture && store?.kind === 'request') call.input = structuredClone(args.input);
      if (capture) args = { ...args, input: { ...args.input, ReturnConsumedCapacity: 'TOTAL' } };
      const t0 = performance.now();
      try {
        const out = await next(args);
        call.ok = true;
        call.capacity = capacityOf(out.output?.ConsumedCapacity);
        return out;
      } catch (e) {
        const err = e as { name?: string; CancellationReasons?: { Code?: string }[] };
        call.error = err.name ?? 'Error';
        if (err.CancellationReasons) call.reasons = err.CancellationReasons.map((r) => r.Code ?? 'None');
        throw e;
      } finally {
        call.ms = performance.now() - t0;
        if (store?.kind === 'request') store.trace.ddb.push(call);
        else if (store?.kind !== 'bench') {
          background.ddbCalls += 1;
          background.lastActivity = Date.now();
          if (call.reasons?.includes('TransactionConflict')) background.conflicts += 1;
          if (call.capacity) {
            background.ddbCapacity += call.capacity;
            if (isRead(command)) background.ddbCapacityRead += call.capacity;
            else background.ddbCapacityWrite += call.capacity;
          }
        }
      }
    };
  opts.ddb.middlewareStack.add(middleware, { step: 'initialize', name: 'benchCallProbe', priority: 'high', override: true });
  return probe;
};
