/**
 * A local stand-in for the API Gateway WebSocket API, on one port: `ws://host:port[/stage]?token=<JWT>`
 * runs the REQUEST authorizer on upgrade, then $connect, $default per message and $disconnect
 * in-process (functions/ws/*, ./lambdas.ts); `/stage/@connections/{id}` is the management API (./management.ts);
 * `/.well-known/jwks.json` the local signing key's JWKS. API Gateway's limits are kept (10 min idle,
 * 2 h per connection, 128 KB per message). Local differences: a Deny is 401 (AWS: 403), SigV4 is not
 * checked, route responses are not sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { WS_IDLE_TIMEOUT_SECONDS, WS_MAX_CONNECTION_SECONDS, type WsRouteKey } from '../../../../shared/ws/routes';
import { close } from '../http-api/gateway';
import { hostPort, listen } from '../../ports';
import { ACCOUNT_ID, API_ID, headerMaps, MAX_MESSAGE_BYTES, newConnectionId, newRequestId, policyAllows, queryMaps, refuse, requestContext, sourceIpOf, type Live } from './events';
import { wsInvoker, type WsLambdaOptions } from './lambdas';
import { createManagementApi } from './management';

export { MAX_MESSAGE_BYTES, policyAllows } from './events';
export type { WsLambda } from './lambdas';

export interface LocalWebSocketOptions extends WsLambdaOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** Serves this key set at /.well-known/jwks.json (e.g. `() => publicJwks({ dataDir })`). */
  jwks?: () => Promise<unknown>;
  /** Default 'local'. */
  stage?: string;
  region?: string;
  /** Default 10 minutes. */
  idleTimeoutMs?: number;
  /** Default 2 hours. */
  maxConnectionMs?: number;
  /**
   * The timers behind the idle and maximum-connection limits. Default: Node's (unref'd). A
   * test passes its own to run out a connection's time without waiting for it.
   */
  timers?: LimitTimers;
  /** One line per connection, message and management call; default stdout, `false` silences it. */
  log?: ((line: string) => void) | false;
  logError?: (message: string, error: unknown) => void;
}

export interface LocalWebSocket {
  /** ws://host:port: where clients connect (`?token=<JWT>`). */
  url: string;
  /** For AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI (or WEBSOCKET_MANAGEMENT_URL): http://host:port/<stage>. */
  managementEndpoint: string;
  /** For JWT_JWKS_URL (served only with the `jwks` option). */
  jwksUrl: string;
  port: number;
  /** The ids of the open connections. */
  connections: () => string[];
  stop: () => Promise<void>;
}

export interface LimitTimers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const nodeTimers: LimitTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const startLocalWebSocket = async (opts: LocalWebSocketOptions = {}): Promise<LocalWebSocket> => {
  const host = opts.host ?? '127.0.0.1';
  const stage = opts.stage ?? 'local';
  const region = opts.region ?? process.env.AWS_REGION ?? 'eu-west-1';
  const idleTimeoutMs = opts.idleTimeoutMs ?? WS_IDLE_TIMEOUT_SECONDS * 1000;
  const maxConnectionMs = opts.maxConnectionMs ?? WS_MAX_CONNECTION_SECONDS * 1000;
  const timers = opts.timers ?? nodeTimers;
  const log = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`[ws] ${line}\n`)));
  const logError =
    opts.logError ??
    ((message: string, error: unknown) => process.stderr.write(`[ws] ${message} ${error instanceof Error ? (error.stack ?? error.message) : String(error ?? '')}\n`));

  const invoke = wsInvoker(opts, region);

  const live = new Map<string, Live>();
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };
  // Where the API answers, named in every event: its host:port once it listens.
  const api = { stage, domainName: host };
  const methodArn = (routeKey: WsRouteKey) => `arn:aws:execute-api:${region}:${ACCOUNT_ID}:${API_ID}/${stage}/${routeKey}`;

  // ------------------------------------------------------------------ the WebSocket API

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/' && url.pathname !== `/${stage}` && url.pathname !== `/${stage}/`) return refuse(socket, 404, 'Not Found');
    const id = newConnectionId();
    const connectedAt = Date.now();
    const identity = { sourceIp: sourceIpOf(req), userAgent: req.headers['user-agent'] ?? '' };
    const { headers, multiValueHeaders } = headerMaps(req);
    const query = queryMaps(url.searchParams);
    const started = Date.now();

    let authorizer: Record<string, unknown>;
    try {
      const result = (await invoke('authorizer', {
        type: 'REQUEST',
        methodArn: methodArn('$connect'),
        headers,
        multiValueHeaders,
        ...query,
        stageVariables: {},
        requestContext: requestContext(api, id, '$connect', 'CONNECT', connectedAt, identity),
      })) as { principalId?: string; context?: Record<string, unknown> } | undefined;
      if (!policyAllows(result, methodArn('$connect'))) {
        log(`CONNECT ${id} refused by the authorizer 401 ${Date.now() - started}ms`);
        return refuse(socket, 401, 'Unauthorized');
      }
      authorizer = { ...(result?.context ?? {}), principalId: result?.principalId ?? '', integrationLatency: Date.now() - started };
    } catch (e) {
      logError(`CONNECT ${id}: the authorizer failed:`, e);
      return refuse(socket, 500, 'Internal server error');
    }

    try {
      const result = (await invoke('$connect', {
        headers,
        multiValueHeaders,
        ...query,
        requestContext: { ...requestContext(api, id, '$connect', 'CONNECT', connectedAt, identity), authorizer },
        isBase64Encoded: false,
      })) as { statusCode?: unknown } | undefined;
      const status = Number(result?.statusCode ?? 200);
      if (status < 200 || status > 299) {
        log(`CONNECT ${id} refused by $connect ${status}`);
        return refuse(socket, status >= 400 && status <= 599 ? status : 502, 'Forbidden');
      }
    } catch (e) {
      logError(`CONNECT ${id}: $connect failed:`, e);
      return refuse(socket, 500, 'Internal server error');
    }

    if (socket.destroyed) {
      // The client left while $connect ran: API Gateway still sends $disconnect.
      void track(disconnect({ id, connectedAt, identity, authorizer }, 1006, 'Client left during connect'));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => open(ws, { id, connectedAt, identity, authorizer }));
    log(`CONNECT ${id} user=${String(authorizer.userId ?? authorizer.principalId ?? '')} 101 ${Date.now() - started}ms`);
  };

  interface Opened {
    id: string;
    connectedAt: number;
    identity: { sourceIp: string; userAgent: string };
    authorizer: Record<string, unknown>;
  }

  const disconnect = async (c: Opened, code: number, reason: string) => {
    try {
      await invoke('$disconnect', {
        headers: { Host: api.domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' },
        multiValueHeaders: {},
        requestContext: {
          ...requestContext(api, c.id, '$disconnect', 'DISCONNECT', c.connectedAt, c.identity),
          authorizer: c.authorizer,
          disconnectStatusCode: code,
          disconnectReason: reason,
        },
        isBase64Encoded: false,
      });
      log(`DISCONNECT ${c.id} ${code}`);
    } catch (e) {
      logError(`DISCONNECT ${c.id}: $disconnect failed:`, e);
    }
  };

  const open = (ws: WebSocket, c: Opened) => {
    const conn: Live = {
      id: c.id,
      ws,
      connectedAt: c.connectedAt,
      lastActiveAt: Date.now(),
      sourceIp: c.identity.sourceIp,
      userAgent: c.identity.userAgent,
      authorizer: c.authorizer,
      timers: [],
    };
    live.set(c.id, conn);
    const armIdle = () => {
      if (conn.timers[0] !== undefined) timers.clear(conn.timers[0]);
      conn.timers[0] = timers.set(() => ws.close(1001, 'Going away'), idleTimeoutMs);
    };
    armIdle();
    conn.timers[1] = timers.set(() => ws.close(1001, 'Going away'), maxConnectionMs);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.lastActiveAt = Date.now();
      armIdle();
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      const started = Date.now();
      void track(
        (async () => {
          const ctx = requestContext(api, c.id, '$default', 'MESSAGE', c.connectedAt, c.identity);
          try {
            const result = (await invoke('$default', {
              requestContext: { ...ctx, messageId: newRequestId(), authorizer: c.authorizer },
              body: isBinary ? buf.toString('base64') : buf.toString('utf8'),
              isBase64Encoded: isBinary,
            })) as { statusCode?: number } | undefined;
            log(`MESSAGE ${c.id} ${result?.statusCode ?? 200} ${Date.now() - started}ms`);
          } catch (e) {
            logError(`MESSAGE ${c.id}: $default failed:`, e);
            // What API Gateway sends the client when the integration fails.
            if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ message: 'Internal server error', connectionId: c.id, requestId: ctx.requestId }));
          }
        })(),
      );
    });
    ws.on('error', (e) => logError(`${c.id}: socket error`, e));
    ws.once('close', (code: number, reason: Buffer) => {
      for (const t of conn.timers) timers.clear(t);
      live.delete(c.id);
      void track(disconnect(c, code, reason.toString('utf8')));
    });
  };

  const management = createManagementApi({ live, log, ...(opts.jwks ? { jwks: opts.jwks } : {}) });

  const server = createServer((req, res) => {
    management(req, res).catch((e: unknown) => {
      logError(`${req.method} ${req.url}: failed:`, e);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal server error' }));
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    void track(
      upgrade(req, socket, head).catch((e: unknown) => {
        logError('Upgrade failed:', e);
        refuse(socket, 500, 'Internal server error');
      }),
    );
  });

  const address = await listen(server, opts.port ?? 0, host);
  api.domainName = hostPort(address);
  const { domainName } = api;
  let stopped: Promise<void> | undefined;

  return {
    url: `ws://${domainName}`,
    managementEndpoint: `http://${domainName}/${stage}`,
    jwksUrl: `http://${domainName}/.well-known/jwks.json`,
    port: address.port,
    connections: () => [...live.keys()],
    stop: () =>
      (stopped ??= (async () => {
        for (const c of live.values()) c.ws.close(1001, 'Going away');
        // Each close runs $disconnect; give them a moment, then cut what is left.
        const deadline = Date.now() + 3_000;
        while ((live.size > 0 || pending.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        for (const c of live.values()) c.ws.terminate();
        await Promise.allSettled([...pending]);
        await new Promise<void>((r) => wss.close(() => r()));
        await close(server);
      })()),
  };
};
