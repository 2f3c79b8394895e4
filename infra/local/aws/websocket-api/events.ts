/** What API Gateway's WebSocket API hands its Lambdas and clients: ids, request maps, the authorizer's policy, refused upgrades. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { WsRouteKey } from '../../../../shared/ws/routes';

export const MAX_MESSAGE_BYTES = 128 * 1024;
export const ACCOUNT_ID = '000000000000';
export const API_ID = 'localws';

export interface Live {
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
export const newConnectionId = (): string => randomBytes(11).toString('base64');
export const newRequestId = (): string => randomBytes(10).toString('base64').replace(/[+/=]/g, 'x');

export const clfTime = (d: Date): string => {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};

/** The requestContext of every event the API hands a function; `api.domainName` is its host:port. */
export const requestContext = (
  api: { stage: string; domainName: string },
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
    stage: api.stage,
    connectedAt,
    requestTimeEpoch: now.getTime(),
    identity,
    requestId: newRequestId(),
    domainName: api.domainName,
    connectionId: id,
    apiId: API_ID,
  };
};

export const sourceIpOf = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

export const headerMaps = (req: IncomingMessage) => {
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

export const queryMaps = (search: URLSearchParams) => {
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
export const refuse = (socket: Duplex, status: number, message: string) => {
  if (socket.destroyed) return;
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};

const utf8 = new TextDecoder('utf-8', { fatal: true });
export const isUtf8 = (b: Buffer): boolean => {
  try {
    utf8.decode(b);
    return true;
  } catch {
    return false;
  }
};
