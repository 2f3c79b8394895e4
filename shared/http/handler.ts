/**
 * The one middy chain every HTTP route runs through:
 *   observability (log keys requestId, userId and sessionId; the redacted event at DEBUG;
 *   metrics published at the end) → body size limit → JSON body parser (a signed webhook's:
 *   its signature over the raw bytes, then JSON) → caller from the JWT claims → zod validation of path, query and body (unknown fields rejected) → the route's
 *   `main` → JSON response (described, not checked, by the `responses` schemas).
 * Errors are mapped to the API's error format in one place: a dependency that is unavailable
 * (./unavailable.ts) is a 503 SERVICE_UNAVAILABLE with Retry-After; anything else unexpected
 * is a bare 500.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { config } from '../config';
import { requireRole, type Caller } from '../domain/caller';
import { HttpError, PayloadTooLargeError, ServiceUnavailableError, UnsupportedMediaTypeError, ValidationError } from '../domain/errors';
import { observe } from '../observability/invocation';
import { logger } from '../observability/logger';
import type * as z from '../schemas/zod';
import { callerFromEvent } from './auth';
import type { RouteDef } from './routes';
import { unavailableDependency } from './unavailable';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export interface Request<B, P, Q> {
  caller: Caller;
  body: B;
  path: P;
  query: Q;
  event: HttpEvent;
}

/** What a route's main returns: a status and a body to send as JSON. */
export interface Reply {
  statusCode: number;
  body: unknown;
}

export const ok = (body: unknown): Reply => ({ statusCode: 200, body });
export const created = (body: unknown): Reply => ({ statusCode: 201, body });

/** A route's path, query or body schema (zod/mini; infra/openapi.ts turns it into JSON Schema). */
type ZodType = z.ZodMiniType;

export interface RouteOptions<
  BS extends ZodType | undefined = ZodType | undefined,
  PS extends ZodType | undefined = ZodType | undefined,
  QS extends ZodType | undefined = ZodType | undefined,
> {
  /**
   * The route's entry in the route table (shared/http/routes.ts), `routes.<handler>`: who may
   * call it (`authBy`, `roles`) is read from there, the one place a route's contract lives.
   * The entry itself, not its name: a lookup by name would keep the whole table in every bundle.
   */
  route: RouteDef;
  body?: BS;
  path?: PS;
  query?: QS;
  /**
   * The body of each success answer, by status (`{ 200: sessionResponse }`, `{ 201: … }`): for
   * the OpenAPI document and the typed client only, never checked at runtime (the end-to-end
   * tests hold every answer to the document).
   */
  responses?: Readonly<Record<number, ZodType>>;
  /**
   * The media type of the success answers when they are not JSON (a file to download): `main`
   * returns the body as a string, sent as it is under this content type. Errors stay JSON.
   */
  responseContentType?: string;
  /**
   * Leave the body as the raw string (a form post such as one-click unsubscribe). The handler
   * reads it itself; `body` and `headers` here only describe it (OpenAPI).
   */
  rawBody?: boolean | { body?: ZodType; headers?: ZodType };
  /**
   * A webhook signed by its sender over the exact bytes of its body. Before anything else reads
   * the request, `verify` gets those bytes and the headers and throws (an UnauthorizedError, a
   * 401) unless they are signed as they should be; only then is the body parsed as JSON and
   * validated by `body`, so `main` gets the parsed, verified event. `headers` describes the
   * signing headers (OpenAPI). The verifier comes from the route's use case, which binds the
   * check of shared/integrations to its secret (and clock).
   */
  signature?: SignatureCheck;
}

/** The request headers as API Gateway passes them (names in lower case). */
export type RequestHeaders = Readonly<Record<string, string | undefined>>;

export interface SignatureCheck {
  headers: ZodType;
  verify: (rawBody: Buffer, headers: RequestHeaders) => Promise<void>;
}

type Out<S> = S extends ZodType ? z.output<S> : undefined;

/** What the middlewares worked out for one request, keyed by its event (never shared between requests). */
interface Ctx {
  caller?: Caller;
  /** The JSON of a body whose signature checked out. */
  signed?: unknown;
  parsed?: { body: unknown; path: unknown; query: unknown };
}
const perRequest = new WeakMap<object, Ctx>();
const ctxOf = (event: object): Ctx => {
  let ctx = perRequest.get(event);
  if (!ctx) perRequest.set(event, (ctx = {}));
  return ctx;
};

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

const toResponse = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

const bodyBytes = (event: HttpEvent): number => (event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body)) : 0);

const bodyLimit = (): MiddlewareObj<HttpEvent> => ({
  before: (request) => {
    const limit = config().maxBodyBytes;
    if (bodyBytes(request.event) > limit) throw new PayloadTooLargeError(`The body may be at most ${limit} bytes`);
  },
});

/** The JSON parser runs only when there is a body: an absent body is left to the schema to judge. */
const jsonBody = (): MiddlewareObj<HttpEvent> => {
  const parser = httpJsonBodyParser();
  return {
    before: async (request) => {
      if (request.event.body === undefined || request.event.body === '') return;
      await parser.before!(request as never);
    },
  };
};

const zodDetails = (error: z.core.$ZodError, prefix: string) => error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));

const parseWith = (schema: ZodType | undefined, value: unknown, where: string): unknown => {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(`Invalid ${where}`, zodDetails(result.error, where === 'body' ? '' : where));
  return result.data;
};

/** middy's own HTTP errors (from its body parser) carry a status; map them to our codes. */
const fromMiddyError = (err: unknown): HttpError | undefined => {
  const e = err as { statusCode?: number; message?: string; cause?: { package?: string } };
  if (e?.cause?.package !== '@middy/http-json-body-parser') return undefined;
  if (e.message === 'Unsupported Media Type') {
    return new UnsupportedMediaTypeError('Send the body as application/json');
  }
  return new ValidationError('The body is not valid JSON', [{ path: '', message: 'Malformed JSON' }]);
};

const rawBytes = (event: HttpEvent): Buffer => Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

/** The signature over the exact bytes first; then, and only then, the bytes as JSON. */
const verifySignature = (check: SignatureCheck): MiddlewareObj<HttpEvent> => ({
  before: async (request) => {
    const raw = rawBytes(request.event);
    await check.verify(raw, request.event.headers ?? {});
    try {
      ctxOf(request.event).signed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ValidationError('The body is not valid JSON', [{ path: '', message: 'Malformed JSON' }]);
    }
  },
});

const retryAfter = (e: HttpError): Record<string, string> => (e instanceof ServiceUnavailableError ? { 'retry-after': String(e.retryAfterSeconds) } : {});

const errorResponse = (): MiddlewareObj<HttpEvent, HttpResponse> => ({
  onError: (request) => {
    const err = request.error;
    const known = err instanceof HttpError ? err : fromMiddyError(err);
    if (known) {
      request.response = toResponse(known.statusCode, known.toJSON(), retryAfter(known));
      return;
    }
    const unavailable = unavailableDependency(err);
    if (unavailable) {
      logger.error('A dependency is unavailable', { route: request.event.routeKey, error: err! });
      request.response = toResponse(503, unavailable.toJSON(), retryAfter(unavailable));
      return;
    }
    // Unexpected: log it for operators, tell the client nothing about internals.
    logger.error('Unhandled error', { route: request.event.routeKey, error: err! });
    request.response = toResponse(500, { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } });
  },
});

export const httpHandler = <BS extends ZodType | undefined = undefined, PS extends ZodType | undefined = undefined, QS extends ZodType | undefined = undefined>(
  main: (req: Request<Out<BS>, Out<PS>, Out<QS>>) => Promise<Reply>,
  options: RouteOptions<BS, PS, QS>,
) => {
  const { route } = options;
  if ((route.authBy === 'signature') !== (options.signature !== undefined)) {
    throw new Error(`${route.handler}: the route table says authBy '${route.authBy}', so its handler ${options.signature ? 'takes no' : 'needs a'} signature check`);
  }
  const authenticate: MiddlewareObj<HttpEvent> = {
    before: (request) => {
      if (route.authBy !== 'jwt') return;
      const caller = callerFromEvent(request.event);
      if (route.roles?.length) requireRole(caller, ...route.roles);
      ctxOf(request.event).caller = caller;
    },
  };
  const validate: MiddlewareObj<HttpEvent> = {
    before: (request) => {
      const e = request.event;
      ctxOf(request.event).parsed = {
        path: parseWith(options.path, e.pathParameters ?? {}, 'path'),
        query: parseWith(options.query, e.queryStringParameters ?? {}, 'query'),
        body: parseWith(options.body, options.signature ? ctxOf(e).signed : e.body, 'body'),
      };
    },
  };

  const run = async (event: HttpEvent): Promise<HttpResponse> => {
    const ctx = ctxOf(event);
    const parsed = ctx.parsed!;
    const reply = await main({
      caller: ctx.caller ?? { userId: '', roles: [] },
      body: parsed.body as Out<BS>,
      path: parsed.path as Out<PS>,
      query: parsed.query as Out<QS>,
      event,
    });
    if (options.responseContentType && reply.statusCode < 300)
      return { statusCode: reply.statusCode, headers: { 'content-type': options.responseContentType }, body: String(reply.body) };
    return toResponse(reply.statusCode, reply.body);
  };

  const handler = middy<HttpEvent, HttpResponse>(run as never).use([
    ...observe<HttpEvent>({
      keysOf: (e) => ({
        requestId: e.requestContext?.requestId,
        // The caller as the JWT authorizer verified it (what callerFromEvent reads), on the event line too.
        userId: e.requestContext?.authorizer?.jwt?.claims?.sub as string | undefined,
        sessionId: e.pathParameters?.sessionId,
      }),
      // A body signed by its sender is a webhook's: it may carry card data.
      redact: { body: !options.rawBody && !options.signature },
    }),
    bodyLimit(),
    authenticate,
    ...(options.signature ? [verifySignature(options.signature)] : options.rawBody ? [] : [jsonBody()]),
    validate,
    errorResponse(),
  ]);
  // The same schemas that validate, for the OpenAPI document (infra/openapi.ts).
  return Object.assign(handler, { contract: Object.freeze({ ...options }) });
};
