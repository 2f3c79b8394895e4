/**
 * The cost phase's ledger: every Lambda invocation the local stack runs, with its duration and
 * the DynamoDB capacity it consumed, and every WebSocket push, counted in-process. Every
 * function runs in this process, so an AsyncLocalStorage context says which invocation a call
 * belongs to; the other servers (Step Functions API, Paystack and Zoom emulators) get an empty
 * one, so the work they start is never mistaken for the invocation that called them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FunctionKind, FunctionWrapper } from '../../infra/local/start';

/** A request carrying it is the bench waiting for a status: kept apart. */
export const POLL_HEADER = 'x-bench-poll';

export type InvocationKind = 'http' | FunctionKind;

export interface Invocation {
  kind: InvocationKind;
  /** `POST /sessions/{id}/approve`, a step, a consumer, `$connect`… */
  name: string;
  ms: number;
  readUnits: number;
  writeUnits: number;
  /** Of the write units, those spent on the indexes. */
  indexWriteUnits: number;
  ddbCalls: number;
  /** Calls that failed (a condition, a cancelled transaction): DynamoDB reports no capacity for them. */
  ddbFailed: number;
  /** The bench's own status polls: counted, never charged. */
  poll?: boolean;
}

export interface LedgerSnapshot {
  invocations: Invocation[];
  /** PostToConnection calls and the bytes each sent. */
  pushes: number[];
  /** Other management API calls (GET / DELETE @connections). */
  managementCalls: number;
  /** DynamoDB calls made outside every invocation (none expected while a booking runs). */
  unattributed: { ddbCalls: number; readUnits: number; writeUnits: number };
}

export interface Ledger {
  wrapFunction: FunctionWrapper;
  /** Where the gateway and the WebSocket gateway listen (known once the stack is up). */
  setPorts: (ports: { gateway: number; ws: number }) => void;
  installOn: (ddb: DdbLike) => void;
  /** Invocations still running. */
  inFlight: () => number;
  /** Date.now() when an invocation last started or ended. */
  lastActivity: () => number;
  /** What was recorded since the last take, and start afresh. */
  take: () => LedgerSnapshot;
  uninstall: () => void;
}

interface DdbLike {
  middlewareStack: {
    add: (mw: never, opts: { step: 'initialize'; name: string; priority?: 'high' | 'normal' | 'low' }) => void;
    remove: (name: string) => boolean;
  };
}

type Context = { inv: Invocation } | { inv: null };

const READS = /^(GetItem|BatchGetItem|Query|Scan|TransactGetItems)Command$/;

interface Units {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}
interface Capacity extends Units {
  GlobalSecondaryIndexes?: Record<string, Units>;
  LocalSecondaryIndexes?: Record<string, Units>;
}

/**
 * Read and write units of one response (ReturnConsumedCapacity INDEXES: the total, and the
 * part spent on the indexes): DynamoDB's read/write split when it gives one, else by the command.
 */
export const unitsOf = (command: string, consumed: Capacity | Capacity[] | undefined): { read: number; write: number; indexWrite: number } => {
  let read = 0;
  let write = 0;
  let indexWrite = 0;
  const isRead = READS.test(command);
  for (const c of consumed ? (Array.isArray(consumed) ? consumed : [consumed]) : []) {
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += c.ReadCapacityUnits ?? 0;
      write += c.WriteCapacityUnits ?? 0;
    } else if (isRead) read += c.CapacityUnits ?? 0;
    else write += c.CapacityUnits ?? 0;
    for (const i of [...Object.values(c.GlobalSecondaryIndexes ?? {}), ...Object.values(c.LocalSecondaryIndexes ?? {})]) {
      indexWrite += i.WriteCapacityUnits ?? (isRead ? 0 : (i.CapacityUnits ?? 0));
    }
  }
  return { read, write, indexWrite };
};

export const createLedger = (): Ledger => {
  const als = new AsyncLocalStorage<Context>();
  const none: Context = { inv: null };
  let ports = { gateway: -1, ws: -1 };
  let invocations: Invocation[] = [];
  let pushes: number[] = [];
  let managementCalls = 0;
  let unattributed = { ddbCalls: 0, readUnits: 0, writeUnits: 0 };
  let running = 0;
  let last = Date.now();
  let ddbClient: DdbLike | undefined;

  const open = (kind: InvocationKind, name: string, poll = false): Invocation => {
    const inv: Invocation = { kind, name, ms: 0, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, ddbCalls: 0, ddbFailed: 0, ...(poll ? { poll } : {}) };
    invocations.push(inv);
    running += 1;
    last = Date.now();
    return inv;
  };
  const close = (inv: Invocation, t0: number) => {
    inv.ms = performance.now() - t0;
    running -= 1;
    last = Date.now();
  };

  // Route names as API Gateway's route keys: ids (ULIDs, references) become `{id}`.
  const routeOf = (req: IncomingMessage) => `${req.method} ${(req.url ?? '/').split('?')[0]!.replace(/\/[0-9A-HJKMNP-TV-Z]{26}(?=\/|$)/g, '/{id}')}`;

  // Each request the local gateway receives (the diagnostics channel, on the gateway's port) is
  // one invocation, timed until its response is sent; a POST to the WebSocket gateway's
  // management API is a push.
  const onRequest = (msg: unknown) => {
    const { request, response } = msg as { request: IncomingMessage; response: ServerResponse };
    const port = request.socket.localPort;
    if (port === ports.gateway) {
      const inv = open('http', routeOf(request), request.headers[POLL_HEADER] !== undefined);
      const t0 = performance.now();
      let closed = false;
      const end = () => {
        if (!closed) close(inv, t0);
        closed = true;
      };
      response.once('finish', end);
      response.once('close', end);
      als.enterWith({ inv });
      return;
    }
    if (port === ports.ws && (request.url ?? '').includes('/@connections/')) {
      if (request.method === 'POST') pushes.push(Number(request.headers['content-length'] ?? 0));
      else managementCalls += 1;
    }
    als.enterWith(none);
  };
  dc.subscribe('http.server.request.start', onRequest);

  // Workflow steps, stream consumers, the WebSocket authorizer and routes: the stack's
  // `wrapFunction` option runs each invocation inside its own context, timed.
  const wrapFunction: FunctionWrapper = (kind, name, fn) =>
    (async (...args: never[]) => {
      const inv = open(kind, name);
      const t0 = performance.now();
      try {
        return await als.run({ inv }, () => fn(...args));
      } finally {
        close(inv, t0);
      }
    }) as unknown as typeof fn;

  // On the handlers' document client: asks for ConsumedCapacity on every command and adds it to
  // the invocation whose context made the call.
  const middleware =
    (next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>, context: { commandName?: string }) =>
    async (args: { input: Record<string, unknown> }) => {
      const inv = als.getStore()?.inv;
      const command = context.commandName ?? 'unknown';
      let units = { read: 0, write: 0, indexWrite: 0 };
      let failed = false;
      try {
        const out = await next({ ...args, input: { ...args.input, ReturnConsumedCapacity: 'INDEXES' } });
        units = unitsOf(command, out.output?.ConsumedCapacity as Capacity | Capacity[] | undefined);
        return out;
      } catch (e) {
        failed = true;
        throw e;
      } finally {
        if (inv) {
          inv.ddbCalls += 1;
          inv.readUnits += units.read;
          inv.writeUnits += units.write;
          inv.indexWriteUnits += units.indexWrite;
          if (failed) inv.ddbFailed += 1;
        } else {
          unattributed.ddbCalls += 1;
          unattributed.readUnits += units.read;
          unattributed.writeUnits += units.write;
        }
      }
    };

  return {
    wrapFunction,
    setPorts: (p) => {
      ports = p;
    },
    installOn: (ddb) => {
      ddbClient = ddb;
      ddb.middlewareStack.add(middleware as never, { step: 'initialize', name: 'benchCostLedger', priority: 'low' });
    },
    inFlight: () => running,
    lastActivity: () => last,
    take: () => {
      const snapshot: LedgerSnapshot = { invocations, pushes, managementCalls, unattributed };
      invocations = [];
      pushes = [];
      managementCalls = 0;
      unattributed = { ddbCalls: 0, readUnits: 0, writeUnits: 0 };
      return snapshot;
    },
    uninstall: () => {
      dc.unsubscribe('http.server.request.start', onRequest);
      ddbClient?.middlewareStack.remove('benchCostLedger');
    },
  };
};
