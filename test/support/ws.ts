/**
 * The WebSocket API for tests: the local WebSocket gateway (infra/local/aws/websocket-api/gateway.ts) with the
 * real authorizer and handlers in-process, a signing key of the file's own (its JWKS served by
 * the gateway, so the authorizer fetches keys over HTTP as in AWS), and `ws` clients that
 * record every frame they receive.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startLocalWebSocket, type LocalWebSocket, type LocalWebSocketOptions } from '../../infra/local/aws/websocket-api/gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, publicJwks, signToken, type SignOptions } from '../../infra/local/emulators/oidc/jwt';

export interface WsHarness {
  gateway: LocalWebSocket;
  dataDir: string;
  /** A token for `userId` signed with this file's key. */
  token: (userId: string, groups?: string[], opts?: SignOptions) => Promise<string>;
  /** Opens a connection as `userId` (or with a raw token). */
  connect: (as: { userId: string } | { token?: string }) => Promise<TestSocket>;
  /** Resolves once the gateway's $disconnect handler has run (and returned) for the connection. */
  disconnected: (connectionId: string) => Promise<void>;
}

/** Starts the gateway before the file's tests and stops it after; register it before useTestTable(). */
export const useLocalWebSocket = (opts: Omit<LocalWebSocketOptions, 'jwks'> = {}) => {
  const harness = {} as WsHarness;
  const saved: Record<string, string | undefined> = {};
  const env = (vars: Record<string, string>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k];
      process.env[k] = v;
    }
  };
  const sockets = new Set<TestSocket>();
  const disconnects = new EventEmitter();
  const gone = new Set<string>();
  const wrap: LocalWebSocketOptions['wrap'] = (name, fn) => {
    const inner = opts.wrap ? opts.wrap(name, fn) : fn;
    if (name !== '$disconnect') return inner;
    return async (event, context) => {
      try {
        return await inner(event, context);
      } finally {
        const id = (event as { requestContext: { connectionId: string } }).requestContext.connectionId;
        gone.add(id);
        disconnects.emit(id);
      }
    };
  };
  harness.disconnected = (connectionId) => (gone.has(connectionId) ? Promise.resolve() : new Promise((r) => disconnects.once(connectionId, () => r())));
  beforeAll(async () => {
    harness.dataDir = mkdtempSync(join(tmpdir(), 'ws-test-'));
    harness.gateway = await startLocalWebSocket({ log: false, ...opts, wrap, jwks: () => publicJwks({ dataDir: harness.dataDir }) });
    env({
      JWT_ISSUER: LOCAL_ISSUER,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWT_JWKS_URL: harness.gateway.jwksUrl,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: harness.gateway.managementEndpoint,
    });
  });
  afterAll(async () => {
    await Promise.all([...sockets].map((s) => s.close()));
    await harness.gateway?.stop();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (harness.dataDir) rmSync(harness.dataDir, { recursive: true, force: true });
  });
  harness.token = (userId, groups = ['student'], signOpts = {}) => signToken({ sub: userId, groups, name: userId }, { dataDir: harness.dataDir, ...signOpts });
  harness.connect = async (as) => {
    const token = 'userId' in as ? await harness.token(as.userId) : as.token;
    const socket = await openSocket(harness.gateway.url, token);
    sockets.add(socket);
    return socket;
  };
  return harness;
};

export interface TestSocket {
  ws: WebSocket;
  /** Every frame received, parsed as JSON when it is JSON. */
  frames: any[];
  /** The first frame (already received or still to come) that matches. */
  waitFor: (match: (frame: any) => boolean, timeoutMs?: number) => Promise<any>;
  send: (data: string) => void;
  close: () => Promise<void>;
}

export class RefusedUpgrade extends Error {
  constructor(readonly status: number) {
    super(`The WebSocket upgrade was refused with ${status}`);
  }
}

/** Connects with `?token=`; rejects with RefusedUpgrade (its HTTP status) when the gateway refuses. */
export const openSocket = (url: string, token?: string): Promise<TestSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`);
    const frames: any[] = [];
    const waiters = new Set<{ match: (f: any) => boolean; resolve: (f: any) => void }>();
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let frame: any = text;
      try {
        frame = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      frames.push(frame);
      for (const w of waiters) {
        if (!w.match(frame)) continue;
        waiters.delete(w);
        w.resolve(frame);
      }
    });
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      reject(new RefusedUpgrade(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        send: (data) => ws.send(data),
        waitFor: (match, timeoutMs = 5_000) => {
          const found = frames.find(match);
          if (found !== undefined) return Promise.resolve(found);
          return new Promise((res, rej) => {
            const w = {
              match,
              resolve: (f: any) => {
                clearTimeout(timer);
                res(f);
              },
            };
            const timer = setTimeout(() => {
              waiters.delete(w);
              rej(new Error(`No matching frame within ${timeoutMs} ms; received: ${JSON.stringify(frames)}`));
            }, timeoutMs);
            waiters.add(w);
          });
        },
        close: async () => {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close(1000);
          await closed;
        },
      }),
    );
  });

/** The notification frames a socket received for `event`. */
export const notificationsOf = (s: TestSocket, event?: string): any[] =>
  s.frames.filter((f) => f?.type === 'notification' && (event === undefined || f.notification.event === event));
