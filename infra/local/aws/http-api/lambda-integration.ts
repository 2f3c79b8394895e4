/** The Lambda proxy integration (payload 2.0): the event and context a handler gets, and how its result becomes the HTTP answer. */
import { randomFillSync, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'aws-lambda';
import type { RouteDef } from '../../../../shared/http/routes';
import type { Match } from './routing';

const ACCOUNT_ID = '000000000000';
const API_ID = 'local';

// ---------------------------------------------------------------- claims

/** How HTTP APIs hand JWT claims to the integration: every value flattened to a string (Go's %v). */
export const stringifyClaim = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map(stringifyClaim).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${stringifyClaim(v)}`).join(' ')}]`;
  }
  return String(value);
};

export const stringifyClaims = (claims: Record<string, unknown>): Record<string, string> => Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, stringifyClaim(v)]));

// The gateway's verifier answers a token's claims with the same object each time: flattened once.
const flattened = new WeakMap<Record<string, unknown>, Record<string, string>>();
/** A copy per event, so a handler that changes its event changes no other's. */
const eventClaims = (claims: Record<string, unknown>): Record<string, string> => {
  let flat = flattened.get(claims);
  if (!flat) flattened.set(claims, (flat = stringifyClaims(claims)));
  return { ...flat };
};

// ---------------------------------------------------------------- responses

export const jsonBody = (body: unknown) => JSON.stringify(body);
export const errorBody = (code: string, message: string) => jsonBody({ error: { code, message } });

export interface Reply {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body?: string | Buffer;
}

export const json = (statusCode: number, body: string): Reply => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body,
});

/** The handler's result as API Gateway reads a payload-2.0 response. */
export const fromLambdaResult = (result: unknown): Reply => {
  const structured = result !== null && typeof result === 'object' && 'statusCode' in result;
  if (!structured) {
    // "If your Lambda function returns valid JSON and doesn't return a statusCode, API Gateway assumes" 200 + JSON.
    const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
    return json(200, body);
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown[];
    body?: unknown;
    isBase64Encoded?: boolean;
  };
  const statusCode = Number(r.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) throw new Error(`The handler returned an invalid statusCode: ${String(r.statusCode)}`);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  if (r.cookies?.length) headers['set-cookie'] = r.cookies.map(String);
  let body: string | Buffer | undefined;
  if (r.body !== undefined && r.body !== null) {
    const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    body = r.isBase64Encoded ? Buffer.from(text, 'base64') : text;
  }
  return { statusCode, headers, ...(body !== undefined ? { body } : {}) };
};

// ---------------------------------------------------------------- the event

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
let clfSecond = Number.NaN;
let clfText = '';
/** `requestContext.time` to the second; the same text for every request of that second. */
const clfTime = (d: Date): string => {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== clfSecond) {
    clfSecond = second;
    clfText = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
  }
  return clfText;
};

const REQUEST_ID_BYTES = 10;
const idPool = Buffer.alloc(REQUEST_ID_BYTES * 512);
let idOffset = idPool.length;
/** An id like API Gateway's (10 random bytes, base64), from a pool: a `randomBytes` call costs ~10 µs. */
export const newRequestId = (): string => {
  if (idOffset === idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  idOffset += REQUEST_ID_BYTES;
  return idPool.toString('base64', idOffset - REQUEST_ID_BYTES, idOffset);
};

const sourceIp = (req: IncomingMessage): string => (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');

interface EventInput {
  req: IncomingMessage;
  match: Match;
  rawPath: string;
  rawQueryString: string;
  requestId: string;
  start: Date;
  claims?: Record<string, unknown>;
  body?: string;
}

export const buildEvent = ({ req, match, rawPath, rawQueryString, requestId, start, claims, body }: EventInput) => {
  // From rawHeaders: `headersDistinct` builds an array per header on every request.
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    if (name === 'cookie') {
      cookies ??= [];
      for (const c of value.split(/;\s*/)) if (c) cookies.push(c);
      continue;
    }
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  }
  const ip = sourceIp(req);
  headers['x-forwarded-for'] ??= ip;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');

  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString) {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] = k in queryStringParameters ? `${queryStringParameters[k]},${v}` : v;
    }
  }
  const params = match.compiled.segments.some((s) => s.param) ? match.params : undefined;
  const domainName = /^(\[[^\]]*\]|[^:]+)/.exec(headers.host ?? '')?.[1] ?? 'localhost';
  const key = match.compiled.key;

  return {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      ...(claims ? { authorizer: { jwt: { claims: eventClaims(claims), scopes: null }, principalId: '', integrationLatency: 0 } } : {}),
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: ip,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: key,
      stage: '$default',
      time: clfTime(start),
      timeEpoch: start.getTime(),
    },
    ...(params ? { pathParameters: params } : {}),
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
};

/**
 * A function's invocation contexts: what an execution environment keeps (its names, its log
 * stream, named on the day it started) made once, the request id and deadline per invocation.
 */
export const lambdaContexts = (route: RouteDef, region: string, timeoutMs: number): (() => Context) => {
  const functionName = `mentorship-local-${route.handler}`;
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const logStreamName = `${date}/[$LATEST]${randomUUID().replace(/-/g, '')}`;
  const invokedFunctionArn = `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${functionName}`;
  const logGroupName = `/aws/lambda/${functionName}`;
  const unsupported = () => {
    throw new Error('The callback-style context methods are not supported; return a value instead');
  };
  return () => {
    const deadline = Date.now() + timeoutMs;
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName,
      logStreamName,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      /* eslint-disable @typescript-eslint/no-deprecated -- the Context type still requires the legacy callback members */
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
      /* eslint-enable @typescript-eslint/no-deprecated */
    };
  };
};
