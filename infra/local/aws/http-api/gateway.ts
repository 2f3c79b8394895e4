/**
 * A local stand-in for the API Gateway HTTP API: matches the route table (./routing.ts), checks
 * the JWT like the JWT authorizer, answers CORS preflights, and calls the route's handler
 * in-process (./lambda-integration.ts). Local conveniences where it differs: 401 and 404 in the
 * app's error format; 405 METHOD_NOT_ALLOWED with `Allow` (API Gateway answers 404); bodies up
 * to 1 MiB (413); `GET /openapi.json` serves the OpenAPI document.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Context } from 'aws-lambda';
import { handlerEntry, type RouteDef } from '../../../../shared/http/routes';
import { buildOpenApi, OPENAPI_PATH } from '../../../openapi';
import { asInvocation } from '../lambda/invocation-scope';
import { BodyTooLargeError, readBody } from '../../ports';
import { buildEvent, errorBody, fromLambdaResult, json, jsonBody, lambdaContexts, newRequestId, type Reply } from './lambda-integration';
import { createMethodLister, createRouter } from './routing';

export { stringifyClaim, stringifyClaims } from './lambda-integration';
export { createMethodLister, createRouter } from './routing';

/** A Lambda handler as the gateway calls it (middy handlers fit); its result, or the promise of one. */
export type LambdaHandler = (event: never, context: Context) => unknown;

export type ClaimsVerifier = (token: string) => Promise<Record<string, unknown>>;

export interface GatewayOptions {
  routes: readonly RouteDef[];
  /** Loads the route's handler; default: `import('functions/http/<handler>.ts').handler`, cached. */
  loadHandler?: (route: RouteDef) => Promise<LambdaHandler>;
  /** Verifies a bearer token and returns its claims; throws when the token is not acceptable. */
  verify: ClaimsVerifier;
  /** Origins that get CORS headers; '*' allows any. */
  allowedOrigins: readonly string[];
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  corsMaxAgeSeconds?: number;
  /** Like the API Gateway integration timeout (30 s): a handler slower than this gets a 503. */
  timeoutMs?: number;
  /** One line per request; default: to stdout. `false` silences it. */
  log?: ((line: string) => void) | false;
  /** Unexpected errors (a handler that throws); default: to stderr. */
  logError?: (message: string, error: unknown) => void;
  region?: string;
}

export const MAX_BODY_BYTES = 1024 * 1024;
const PROJECT_ROOT = resolve(process.cwd());

// ---------------------------------------------------------------- auth

const bearerToken = (req: IncomingMessage): string | undefined => {
  const header = req.headers.authorization?.trim();
  if (!header) return undefined;
  // API Gateway takes the identity source as is, stripping an optional "Bearer " prefix.
  const m = /^bearer\s+(.+)$/i.exec(header);
  return (m ? m[1]! : header).trim();
};

const authFailure = (e: unknown): string => {
  const err = e as { code?: string; claim?: string; message?: string };
  switch (err?.code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired; get a new one (npm run --silent token -- <userId>)';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return "The token is not signed by this local stack's key (was it made with another LOCAL_DATA_DIR?)";
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's "${err.claim}" claim is not acceptable`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token must be signed with RS256';
    default:
      return 'The bearer token is malformed or invalid';
  }
};

// ---------------------------------------------------------------- the server

export const createGateway = (opts: GatewayOptions): Server => {
  const route = createRouter(opts.routes);
  const methodsAt = createMethodLister(opts.routes);
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const region = opts.region ?? process.env.AWS_REGION ?? 'eu-west-1';
  const maxAge = String(opts.corsMaxAgeSeconds ?? 600);
  const allowMethods = [...new Set([...opts.routes.map((r) => r.method), 'OPTIONS'])].join(',');
  const anyOrigin = opts.allowedOrigins.includes('*');
  const log = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const logError = opts.logError ?? ((message: string, error: unknown) => console.error(message, error));

  const handlers = new Map<string, Promise<LambdaHandler>>();
  const defaultLoad = async (r: RouteDef): Promise<LambdaHandler> => {
    const file = resolve(PROJECT_ROOT, handlerEntry(r));
    if (!existsSync(file)) throw new Error(`${handlerEntry(r)} does not exist (yet)`);
    const mod = (await import(file)) as { handler?: unknown; default?: { handler?: unknown } };
    const handler = mod.handler ?? mod.default?.handler;
    if (typeof handler !== 'function') throw new Error(`${handlerEntry(r)} does not export a function named handler`);
    return handler as LambdaHandler;
  };
  const load = opts.loadHandler ?? defaultLoad;
  // Built on first request by the generator behind docs/openapi.json; a failed build is retried.
  let openApi: Promise<string> | undefined;
  const openApiJson = (): Promise<string> =>
    (openApi ??= buildOpenApi(opts.routes).then(
      (doc) => JSON.stringify(doc),
      (e: unknown) => {
        openApi = undefined;
        throw e;
      },
    ));
  const contexts = new Map<string, () => Context>();
  const contextFor = (r: RouteDef): Context => {
    let next = contexts.get(r.handler);
    if (!next) contexts.set(r.handler, (next = lambdaContexts(r, region, timeoutMs)));
    return next();
  };
  const handlerFor = (r: RouteDef): Promise<LambdaHandler> => {
    let h = handlers.get(r.handler);
    if (!h) {
      h = load(r);
      // A module that failed to load (not written yet, syntax error) is retried on the next request.
      h.catch(() => handlers.delete(r.handler));
      handlers.set(r.handler, h);
    }
    return h;
  };

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin || !(anyOrigin || opts.allowedOrigins.includes(origin))) return {};
    return { 'access-control-allow-origin': anyOrigin ? '*' : origin, vary: 'origin' };
  };

  const handle = async (req: IncomingMessage, requestId: string, start: Date): Promise<Reply> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const rawQueryString = q === -1 ? '' : url.slice(q + 1);
    const method = req.method ?? 'GET';

    if (method === 'OPTIONS') {
      // corsPreflight: API Gateway answers every OPTIONS itself, with CORS headers for allowed origins only.
      const cors = corsHeaders(req);
      if (!cors['access-control-allow-origin']) return { statusCode: 204, headers: {} };
      return {
        statusCode: 204,
        headers: {
          ...cors,
          'access-control-allow-methods': allowMethods,
          'access-control-allow-headers': 'authorization,content-type',
          'access-control-max-age': maxAge,
        },
      };
    }

    if (method === 'GET' && rawPath === OPENAPI_PATH) return json(200, await openApiJson());

    const match = route(method, rawPath);
    if (!match) {
      const methods = rawPath === OPENAPI_PATH ? ['GET'] : methodsAt(rawPath);
      if (methods.length === 0) return json(404, errorBody('NOT_FOUND', `No route for ${method} ${rawPath}`));
      // Every path also answers OPTIONS (the CORS preflight above).
      const allow = [...methods, 'OPTIONS'].sort().join(', ');
      const reply = json(405, errorBody('METHOD_NOT_ALLOWED', `${rawPath} takes ${allow}, not ${method}`));
      return { ...reply, headers: { ...reply.headers, allow } };
    }
    const r = match.compiled.route;

    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBody) return json(413, errorBody('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBody} bytes`));

    let claims: Record<string, unknown> | undefined;
    if (r.authBy === 'jwt') {
      const token = bearerToken(req);
      if (!token) return json(401, errorBody('UNAUTHORIZED', 'Send an Authorization: Bearer <token> header (npm run --silent token -- student-bola)'));
      try {
        claims = await opts.verify(token);
      } catch (e) {
        return json(401, errorBody('UNAUTHORIZED', authFailure(e)));
      }
    }

    // A request that declares no body has none (RFC 9112 §6.3): its stream is not read.
    let body = '';
    try {
      if (declared > 0 || req.headers['transfer-encoding'] !== undefined) body = (await readBody(req, maxBody)).toString('utf8');
    } catch (e) {
      if (e instanceof BodyTooLargeError) return json(413, errorBody('PAYLOAD_TOO_LARGE', `The body may be at most ${maxBody} bytes`));
      throw e;
    }

    const event = buildEvent({ req, match, rawPath, rawQueryString, requestId, start, ...(claims ? { claims } : {}), ...(body ? { body } : {}) });
    try {
      const handler = await handlerFor(r);
      const context = contextFor(r);
      const result = await withTimeout(
        asInvocation(context, async () => handler(event as never, context)),
        timeoutMs,
      );
      if (result === TIMED_OUT) {
        logError(`${match.compiled.key}: the handler did not answer within ${timeoutMs} ms`, undefined);
        return json(503, jsonBody({ message: 'Service Unavailable' }));
      }
      return fromLambdaResult(result);
    } catch (e) {
      logError(`${match.compiled.key} (${handlerEntry(r)}) failed:`, e instanceof Error && /does not (exist|export)/.test(e.message) ? e.message : e);
      return json(500, jsonBody({ message: 'Internal Server Error' }));
    }
  };

  const send = async (req: IncomingMessage, res: ServerResponse, reply: Reply, requestId: string, started: number) => {
    const headers: Record<string, string | string[]> = { ...reply.headers, ...corsHeaders(req), 'apigw-requestid': requestId };
    if (reply.statusCode === 413) {
      headers.connection = 'close';
      // Closing while the client still writes the body would reach it as a broken pipe, not as
      // the 413: the rest of the body is read and dropped first (for a few seconds at most).
      await drained(req, 5_000);
    }
    const body = reply.body ?? '';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(reply.statusCode, headers);
    res.end(body);
    log(`${req.method} ${req.url} ${reply.statusCode} ${Date.now() - started}ms`);
  };

  return createServer((req, res) => {
    const started = Date.now();
    const requestId = newRequestId();
    handle(req, requestId, new Date(started))
      .catch((e: unknown): Reply => {
        logError(`${req.method} ${req.url}: the gateway failed:`, e);
        return json(500, jsonBody({ message: 'Internal Server Error' }));
      })
      .then((reply) => send(req, res, reply, requestId, started))
      .catch((e: unknown) => {
        logError(`${req.method} ${req.url}: could not send the response:`, e);
        res.destroy();
      });
  });
};

const TIMED_OUT = Symbol('timed out');

/** The invocation's outcome, or TIMED_OUT after `ms`: one timer and one promise per request, no race. */
const withTimeout = <T>(invocation: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(TIMED_OUT), ms);
    invocation.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (e: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as the handler rejected
        reject(e);
      },
    );
  });

/** Resolves once the request's body has been read to its end (unread) or after `ms`. */
const drained = (req: IncomingMessage, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (req.complete) return resolve();
    const timer = setTimeout(resolve, ms);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    req.once('end', done);
    req.once('error', done);
    req.once('close', done);
    req.resume();
  });

export { listen } from '../../ports';

/** Closes the server, ending idle keep-alive connections so the close does not hang. */
export const close = (server: Server): Promise<void> =>
  new Promise((resolveClose) => {
    if (!server.listening) return resolveClose();
    server.close(() => resolveClose());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
  });
