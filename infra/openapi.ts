/**
 * The HTTP API as an OpenAPI 3.1 document, built from the route table and the zod schemas each
 * route's handler validates with (`handler.contract`), so the description is what is enforced.
 * `npm run openapi` writes it to docs/openapi.json; the local gateway serves it at /openapi.json.
 *
 * It imports every route's handler module, so it lives in infra/ and is in no Lambda bundle.
 * There are no response schemas in the code: success responses are described in words (from
 * API.md), errors by the one error format every route shares.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { $ZodType } from 'zod/v4/core';
import {
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  OpenRequestLimitError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  SlotUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../shared/domain/errors';
import type { RouteOptions } from '../shared/http/handler';
import { handlerEntry, ROUTES, routeKey, type RouteDef } from '../shared/http/routes';
import * as z from '../shared/schemas/zod';

export type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & { openapi: string; paths: Record<string, Record<string, Operation>> };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
  /** Rules JSON Schema cannot state (one parameter against another), from the schema's `x-` metadata. */
  [extension: `x-${string}`]: unknown;
}

export interface Operation {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { description?: string; required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
}

/** Where `npm run openapi` writes the document, relative to the project root. */
export const OPENAPI_FILE = 'docs/openapi.json';
/** The local gateway's path for it (not a Lambda route). */
export const OPENAPI_PATH = '/openapi.json';
export const SECURITY_SCHEME = 'cognitoJwt';

const ROOT = resolve(process.cwd());

/** What `httpHandler` attaches to the handler it returns. */
type Contract = Readonly<RouteOptions>;

// ---------------------------------------------------------------- what the code cannot say

interface RouteDoc {
  summary: string;
  /** The success answer, from API.md (there are no response schemas to derive it from). */
  returns: string;
  created?: true;
  /** Statuses the route's use case answers beyond what its contract implies (see shared/usecases). */
  also?: (403 | 409 | 502)[];
  /** The route's own 503 answer, when it is not the error format (GET /health). */
  unavailable?: string;
}

/** Per handler; a route without an entry gets a bare description (and the OpenAPI test fails). */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  health: {
    summary: 'Readiness: the table answers a read',
    returns: '`{ "status": "ok", "checks": { "table": "ok" } }`',
    unavailable: 'The table did not answer: `{ "status": "unavailable", "checks": { "table": "unavailable" } }`, with Retry-After',
  },
  listTutors: { summary: 'Browse tutors', returns: '`{ items, nextCursor }`: tutor profiles' },
  getTutor: { summary: 'A tutor’s public profile', returns: 'The profile with rates, availability and recent reviews' },
  putMyTutorProfile: { summary: 'Create or update your tutor profile', returns: 'The stored profile' },
  createSession: {
    summary: 'Book a session',
    returns: '`{ session, payment? }`: INSTANT also returns `payment: { reference, authorizationUrl }`; REQUEST returns the session PENDING_MENTOR_REVIEW and no payment',
    created: true,
    also: [403, 409, 502],
  },
  getSession: { summary: 'A session', returns: 'The session with `student` and `tutor` summaries, `isLive`, `startsInSeconds` (and `hostStartUrl` for its tutor)' },
  approveSession: { summary: 'Approve a booking request', returns: 'The session, SCHEDULED with payment PENDING', also: [409] },
  rejectSession: { summary: 'Reject a booking request', returns: 'The session, REJECTED with `approvalNotes` and `rejectedAt`', also: [409] },
  startPayment: { summary: 'Proceed to payment', returns: '`{ reference, authorizationUrl }`; calling again returns the same open transaction', also: [409, 502] },
  cancelSession: { summary: 'Cancel a session', returns: 'The cancelled session (refunded when it was paid)', also: [409] },
  reviewSession: { summary: 'Review a completed session', returns: 'The review', created: true, also: [409] },
  setMeetingUrl: { summary: 'Set the session’s meeting link', returns: 'The session with its new `meetingUrl`', also: [403, 409] },
  listRecordings: { summary: 'The session’s cloud recordings', returns: '`{ items }`: the recordings Zoom reported for the session’s meeting' },
  listMySessions: { summary: 'Your sessions as a student, by view', returns: '`{ items, nextCursor }`' },
  listTutorSessions: { summary: 'Your sessions as a tutor, by view', returns: '`{ items, nextCursor }`, each with `tutorEarnings`' },
  getTutorStats: {
    summary: 'Your tutor dashboard figures',
    returns: '`{ pendingApprovals, pending, active, completed, grossRevenue, tutorEarnings, walletBalance }` (money fields as money)',
  },
  getMyWallet: { summary: 'Your wallet', returns: 'The balance and the ledger entries as `{ items, nextCursor }`' },
  listAdminSessions: { summary: 'Sessions by status', returns: '`{ items, nextCursor }`' },
  listAdminRefunds: {
    summary: 'Refunds owed, by status',
    returns:
      '`{ items, nextCursor }`, newest first: each refund owed with `reference`, `sessionId`, `amount`, `reason`, `status`, `attempts`, `lastError`, `requestedAt`, `paystackRefundId`, `refundedAt`',
  },
  listMyNotifications: { summary: 'Your notifications', returns: '`{ items, nextCursor }`, newest first, with `readAt`' },
  markNotificationRead: { summary: 'Mark a notification read', returns: 'The notification with `readAt`' },
  paystackWebhook: { summary: 'Paystack webhook', returns: '`{ received: true, outcome }`, also for an event already handled' },
  listTutorSlots: { summary: 'A tutor’s free start times', returns: '`{ timezone, items: [{ start, end }] }`' },
  rescheduleSession: { summary: 'Move a session', returns: 'The session at its new time', also: [409] },
  zoomWebhook: {
    summary: 'Zoom webhook',
    returns: '`{ plainToken, encryptedToken }` for `endpoint.url_validation`; otherwise `{ received: true, outcome }`',
  },
  getMyPreferences: {
    summary: 'Your email preferences',
    returns: '`{ timeZone, email: { <optional kind>: boolean }, alwaysSent }`: times in emails are in `timeZone` (UTC until set); `alwaysSent` are the kinds about money',
  },
  putMyPreferences: {
    summary: 'Replace your email preferences',
    returns: 'The stored preferences, as GET answers them. Kinds left out are on; a kind about money (`alwaysSent`) may only be sent as true',
  },
  emailUnsubscribe: {
    summary: 'One-click unsubscribe (RFC 8058)',
    returns: '`{ unsubscribed: [kinds] }`: the kind the link names (or every optional kind) is switched off for the link’s user. No sign-in: the token is signed',
  },
};

// ---------------------------------------------------------------- errors

/** API.md's error format; `HttpError.toJSON` and the 500 answer in shared/http/handler.ts produce it. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().check(z.describe('Stable and machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND, INVALID_STATE')),
    message: z.string().check(z.describe('For people; may change')),
    details: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))).check(z.describe('Which input was wrong (VALIDATION_FAILED)')),
  }),
});

const codes = (...errors: (new (message: string) => { code: string })[]) => errors.map((E) => new E('').code).join(', ');

/** components.responses, by status. */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: `${codes(ValidationError)}: the path, query or body does not match the schema (unknown fields included), or the body is not JSON` },
  401: { name: 'Unauthorized', description: `${codes(UnauthorizedError)}: a missing or invalid bearer token, or webhook signature` },
  403: { name: 'Forbidden', description: `${codes(ForbiddenError)}: the caller’s roles, or ownership, do not allow this` },
  404: { name: 'NotFound', description: `${codes(NotFoundError)}: no such resource, or one the caller may not see` },
  409: { name: 'Conflict', description: `${codes(InvalidStateError, SlotUnavailableError, OpenRequestLimitError)}: not allowed in the current state` },
  413: { name: 'PayloadTooLarge', description: `${codes(PayloadTooLargeError)}: the body is over the size limit` },
  415: { name: 'UnsupportedMediaType', description: `${codes(UnsupportedMediaTypeError)}: the body is not sent as application/json` },
  500: { name: 'InternalError', description: 'INTERNAL: something failed on our side' },
  502: { name: 'BadGateway', description: 'PAYMENT_PROVIDER_UNAVAILABLE or MEETING_PROVIDER_UNAVAILABLE: Paystack or Zoom did not answer; nothing was changed' },
  503: {
    name: 'ServiceUnavailable',
    description: `${codes(ServiceUnavailableError)}: a service we depend on (the table, the workflow) could not be reached, timed out or refused for load; send the request again after Retry-After seconds`,
  },
};

/** The header a 503 carries (shared/http/handler.ts, functions/http/health.ts). */
const RETRY_AFTER_HEADER = { 'Retry-After': { description: 'Seconds to wait before sending the request again', schema: { type: 'integer', minimum: 1 } } };

// ---------------------------------------------------------------- schemas and parameters

const toSchema = (schema: $ZodType): JsonSchema => {
  // io 'input': what a client sends (before transforms and defaults); refinements have no JSON form.
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return json;
};

const pathParams = (path: string): string[] => [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]!);

/** One parameter per property of an object schema, `required` as the schema says. */
const parametersOf = (key: string, where: Parameter['in'], schema: $ZodType | undefined): Parameter[] => {
  if (!schema) return [];
  const json = toSchema(schema);
  if (json.type !== 'object' || typeof json.properties !== 'object') throw new Error(`${key}: the ${where} schema must be an object schema`);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(json.properties as Record<string, JsonSchema>).map(([name, { description, ...rest }]) => {
    // OpenAPI allows `x-` extensions on a parameter; inside its schema they would not be JSON Schema.
    const isExtension = ([key]: [string, unknown]) => key.startsWith('x-');
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      ...Object.fromEntries(Object.entries(rest).filter(isExtension)),
      schema: Object.fromEntries(Object.entries(rest).filter((e) => !isExtension(e))),
    };
  });
};

const rawBodyOf = (c: Contract) => (typeof c.rawBody === 'object' ? c.rawBody : undefined);

const requestBodyOf = (c: Contract): Operation['requestBody'] => {
  const schema = rawBodyOf(c)?.body ?? c.body;
  if (!schema && !c.rawBody) return undefined;
  return {
    ...(c.rawBody ? { description: 'Read as raw bytes: the signature covers them exactly' } : {}),
    required: schema ? !schema.safeParse(undefined).success : true,
    content: { 'application/json': { schema: schema ? toSchema(schema) : {} } },
  };
};

// ---------------------------------------------------------------- operations

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

const operation = (route: RouteDef, contract: Contract): Operation => {
  const key = routeKey(route);
  const doc = ROUTE_DOCS[route.handler];
  const inPath = pathParams(route.path);
  const declared = parametersOf(key, 'path', contract.path);
  const stray = declared.find((p) => !inPath.includes(p.name));
  if (stray) throw new Error(`${key}: the path schema names ${stray.name}, which is not in the path`);
  const parameters = [
    // A path parameter without a schema is still a required string.
    ...inPath.map((name) => declared.find((p) => p.name === name) ?? { name, in: 'path' as const, required: true, schema: { type: 'string' } }),
    ...parametersOf(key, 'query', contract.query),
    ...parametersOf(key, 'header', rawBodyOf(contract)?.headers),
  ];
  const requestBody = requestBodyOf(contract);

  const statuses = new Set<number>();
  if (parameters.length > 0 || requestBody) statuses.add(400);
  // A raw body is a signed webhook's: a bad signature is a 401.
  if (route.auth || contract.rawBody) statuses.add(401);
  if (route.auth && contract.roles?.length) statuses.add(403);
  if (inPath.length > 0) statuses.add(404);
  if (requestBody) statuses.add(413);
  if (requestBody && !contract.rawBody) statuses.add(415);
  for (const s of doc?.also ?? []) statuses.add(s);
  statuses.add(500);
  statuses.add(503);

  const responses: Record<string, unknown> = {
    [doc?.created ? '201' : '200']: {
      description: doc?.returns ?? 'Success',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
  };
  for (const s of [...statuses].sort((a, b) => a - b)) responses[String(s)] = ref(ERROR_RESPONSES[s]!.name);
  if (doc?.unavailable) responses['503'] = { description: doc.unavailable, headers: RETRY_AFTER_HEADER, content: { 'application/json': { schema: { type: 'object' } } } };

  const roles = route.auth ? (contract.roles ?? []) : [];
  return {
    operationId: route.handler,
    summary: doc?.summary ?? route.handler,
    // OpenAPI 3.1 lets a bearer scheme list role names; alternatives in the array mean "any one of".
    security: !route.auth ? [] : roles.length ? roles.map((role) => ({ [SECURITY_SCHEME]: [role] })) : [{ [SECURITY_SCHEME]: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
};

/** The route's handler module, imported as the gateway and the Lambda runtime import it. */
export const importContract = async (route: RouteDef): Promise<Contract> => {
  const mod = (await import(resolve(ROOT, handlerEntry(route)))) as { handler?: { contract?: Contract } };
  const contract = mod.handler?.contract;
  if (!contract) throw new Error(`${handlerEntry(route)}: its handler has no contract (is it made with httpHandler?)`);
  return contract;
};

const packageVersion = (): string => (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export const buildOpenApi = async (routes: readonly RouteDef[] = ROUTES, load: (route: RouteDef) => Promise<Contract> = importContract): Promise<OpenApiDocument> => {
  const contracts = await Promise.all(routes.map(load));
  const paths: OpenApiDocument['paths'] = {};
  routes.forEach((route, i) => {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, contracts[i]!);
  });
  return {
    openapi: '3.1.1',
    info: {
      title: 'Mentorship booking API',
      version: packageVersion(),
      description:
        'Generated from the route table and the zod schemas the handlers validate with (npm run openapi). Unknown fields in a path, query or body are a 400. A rule that relates two parameters is on the later one: `x-after` names the parameter it must be after, `x-maxDaysAfter` how many days after it at most.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: toSchema(errorBody) },
      responses: Object.fromEntries(
        Object.values(ERROR_RESPONSES).map(({ name, description }) => [
          name,
          {
            description,
            ...(name === ERROR_RESPONSES[503]!.name ? { headers: RETRY_AFTER_HEADER } : {}),
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        ]),
      ),
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito user pool token: `sub` is the user id, `cognito:groups` the roles (student, tutor, admin). Locally: npm run --silent token -- <userId>',
        },
      },
    },
  };
};

/** As written to docs/openapi.json: pretty, with a trailing newline. */
export const renderOpenApi = (doc: OpenApiDocument): string => `${JSON.stringify(doc, null, 2)}\n`;
