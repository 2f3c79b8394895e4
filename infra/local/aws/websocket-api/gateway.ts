/**
 * A local stand-in for the API Gateway WebSocket API, on one port:
 *
 *   ws://host:port[/stage]?token=<JWT>   the WebSocket API: on upgrade the REQUEST authorizer
 *                                        (functions/ws/authorizer.ts) runs with the event API
 *                                        Gateway sends it, a Deny is refused with 401; then
 *                                        $connect, each message $default, the close $disconnect
 *                                        (functions/ws/*.ts, in-process, with realistic events)
 *   http://host:port/stage/@connections/{connectionId}
 *                                        the management API the SDK's
 *                                        ApiGatewayManagementApiClient calls: POST (send),
 *                                        GET (info), DELETE (close); 410 GoneException for a
 *                                        connection that is not open
 *   http://host:port/.well-known/jwks.json
 *                                        the local signing key's JWKS (with `jwks`), so the
 *                                        authorizer fetches its keys over HTTP as in AWS
 *
 * API Gateway's limits are kept: 10 minutes idle and 2 hours at most per connection, 128 KB
 * per message. It sets nothing global: the caller points the handlers at it, e.g.
 * AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI=<managementEndpoint>, JWT_JWKS_URL=<jwksUrl>.
 *
 * Deliberate differences from API Gateway (local conveniences):
 * - a Deny from the authorizer is answered 401 (API Gateway: 403; 401 without a token);
 * - the management API does not check SigV4 signatures;
 * - route responses are not sent: handlers reply with PostToConnection.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'aws-lambda';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { WS_IDLE_TIMEOUT_SECONDS, WS_MAX_CONNECTION_SECONDS, type WsRouteKey } from '../../../../shared/ws/routes';
import { close } from '../http-api/gateway';
import { asInvocation } from '../lambda/invocation-scope';
import { BodyTooLargeError, hostPort, listen, readBody } from '../../ports';

/** A Lambda handler as the gateway calls it (middy handlers fit); its result, or the promise of one. */
export type WsLambda = (event: never, context: Context) => unknown;

export interface LocalWebSocketOptions {
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** The $connect REQUEST authorizer; default functions/ws/authorizer.ts. */
  authorizer?: WsLambda;
  /** The route handlers; default functions/ws/{connect,disconnect,default}.ts. */
  handlers?: Partial<Record<WsRouteKey, WsLambda>>;
  /** Wraps the authorizer and each route handler once loaded (the bench counts and times invocations). */
  wrap?: (name: 'authorizer' | WsRouteKey, fn: WsLambda) => WsLambda;
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

export const MAX_MESSAGE_BYTES = 128 * 1024;
const ACCOUNT_ID = '000000000000';
const API_ID = 'localws';

interface Live {
  id: string;
  ws: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  authorizer: Record<string, unknown>;
  timers: unknown[];
}

/** API Gateway's connection ids: 16 base64 characters, e.g. `L0SM9cOFvHcCIhw=`. */
const newConnectionId = (): string => randomBytes(11).toString('base64');
const newRequestId = (): string => randomBytes(10).toString('base64').replace(/[+/=]/g, 'x');

const clfTime = (d: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

const sourceIpOf = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

const headerMaps = (req: IncomingMessage) => {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (!values) continue;
    // API Gateway passes header names as the client sent them; Node lower-cases them.
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  return { headers, multiValueHeaders };
};

const queryMaps = (search: URLSearchParams) => {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [k, v] of search) {
    single[k] = v;
    (multi[k] ??= []).push(v);
  }
  return Object.keys(single).length ? { queryStringParameters: single, multiValueQueryStringParameters: multi } : {};
};

/** `*` and `?` globs, as in IAM resource ARNs. */
const globMatch = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/** Whether the authorizer's policy allows invoking `methodArn`: an Allow matches and no Deny does. */
export const policyAllows = (result: unknown, methodArn: string): boolean => {
  const doc = (result as { policyDocument?: { Statement?: unknown } } | null)?.policyDocument;
  const raw = doc?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { Effect?: string; Action?: string | string[]; Resource?: string | string[] }[];
  const applies = (s: (typeof statements)[number]) => {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action ?? ''];
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? ''];
    return actions.some((a) => globMatch(a, 'execute-api:Invoke')) && resources.some((r) => globMatch(r, methodArn));
  };
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && applies(s));
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway' };

/** Refuses an upgrade with a plain HTTP answer, as API Gateway does. */
const refuse = (socket: Duplex, status: number, message: string) => {
  if (socket.destroyed) return;
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (b: Buffer): boolean => {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
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

  // The handlers are loaded on first use, after the caller has set the environment they read.
  const loaders: Record<'authorizer' | WsRouteKey, () => Promise<WsLambda>> = {
    authorizer: async () => opts.authorizer ?? (await import('../../../../functions/ws/authorizer')).handler,
    $connect: async () => opts.handlers?.$connect ?? (await import('../../../../functions/ws/connect')).handler,
    $disconnect: async () => opts.handlers?.$disconnect ?? (await import('../../../../functions/ws/disconnect')).handler,
    $default: async () => opts.handlers?.$default ?? (await import('../../../../functions/ws/default')).handler,
  };
  const loaded = new Map<string, Promise<WsLambda>>();
  const invoke = async (name: keyof typeof loaders, event: unknown): Promise<unknown> => {
    let h = loaded.get(name);
    if (!h) {
      h = loaders[name]().then((fn) => (opts.wrap ? opts.wrap(name, fn) : fn));
      h.catch(() => loaded.delete(name));
      loaded.set(name, h);
    }
    const fn = name === 'authorizer' ? 'ws-authorizer' : `ws-${name.slice(1)}`;
    const context = {
      functionName: fn,
      functionVersion: '$LATEST',
      awsRequestId: randomUUID(),
      invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${fn}`,
      memoryLimitInMB: '256',
      logGroupName: `/aws/lambda/${fn}`,
      logStreamName: 'local',
      callbackWaitsForEmptyEventLoop: false,
      getRemainingTimeInMillis: () => 10_000,
    } as unknown as Context;
    const lambda = await h;
    return asInvocation(context, () => lambda(event as never, context));
  };

  const live = new Map<string, Live>();
  const pending = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };
  let domainName = host;

  const baseContext = (
    id: string,
    routeKey: WsRouteKey,
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
    connectedAt: number,
    identity: { sourceIp: string; userAgent: string },
  ) => {
    const now = new Date();
    return {
      routeKey,
      eventType,
      extendedRequestId: newRequestId(),
      requestTime: clfTime(now),
      messageDirection: 'IN' as const,
      stage,
      connectedAt,
      requestTimeEpoch: now.getTime(),
      identity,
      requestId: newRequestId(),
      domainName,
      connectionId: id,
      apiId: API_ID,
    };
  };

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
        requestContext: baseContext(id, '$connect', 'CONNECT', connectedAt, identity),
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
        requestContext: { ...baseContext(id, '$connect', 'CONNECT', connectedAt, identity), authorizer },
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
        headers: { Host: domainName, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' },
        multiValueHeaders: {},
        requestContext: {
          ...baseContext(c.id, '$disconnect', 'DISCONNECT', c.connectedAt, c.identity),
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
          const ctx = baseContext(c.id, '$default', 'MESSAGE', c.connectedAt, c.identity);
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

  // ------------------------------------------------------------------ the management API

  const CONNECTION_PATH = /^(?:\/[^/]+)?\/@connections\/([^/]+)\/?$/;

  const management = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        ...(text ? { 'content-type': 'application/json' } : {}),
        'x-amzn-requestid': randomUUID(),
        ...headers,
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    };
    // What the SDK turns into GoneException: 410 with the error type in x-amzn-ErrorType.
    const gone = () => send(410, { message: null }, { 'x-amzn-errortype': 'GoneException' });

    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') {
      if (!opts.jwks) return send(404, { message: 'Not Found' });
      return send(200, await opts.jwks(), { 'cache-control': 'max-age=300' });
    }
    const m = CONNECTION_PATH.exec(url.pathname);
    if (!m) return send(404, { message: 'Not Found' });
    let id: string;
    try {
      id = decodeURIComponent(m[1]!);
    } catch {
      return send(400, { message: 'Invalid connection id' }, { 'x-amzn-errortype': 'BadRequestException' });
    }
    const conn = live.get(id);
    const isOpen = conn?.ws.readyState === WebSocket.OPEN;
    switch (req.method) {
      case 'POST': {
        const body = await readBody(req, MAX_MESSAGE_BYTES).catch((e: unknown) => {
          if (e instanceof BodyTooLargeError) return undefined;
          throw e;
        });
        if (!body) return send(413, { message: `Message too long: at most ${MAX_MESSAGE_BYTES} bytes` }, { 'x-amzn-errortype': 'PayloadTooLargeException' });
        if (!conn || !isOpen) {
          log(`POST /@connections/${id} 410`);
          return gone();
        }
        conn.ws.send(body, { binary: !isUtf8(body) });
        log(`POST /@connections/${id} 200 (${body.length} bytes)`);
        return send(200);
      }
      case 'GET':
        if (!conn || !isOpen) return gone();
        return send(200, {
          connectedAt: new Date(conn.connectedAt).toISOString(),
          identity: { sourceIp: conn.sourceIp, userAgent: conn.userAgent },
          lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
        });
      case 'DELETE':
        if (!conn || !isOpen) return gone();
        conn.ws.close(1000, 'Closed by the server');
        log(`DELETE /@connections/${id} 204`);
        return send(204);
      default:
        return send(404, { message: 'Not Found' });
    }
  };

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
  domainName = hostPort(address);
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
