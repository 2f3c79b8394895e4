/**
 * The HTTP API as an OpenAPI 3.1 document, built from the route table and the zod schemas each
 * route's handler validates with (`handler.contract`), so the description is what is enforced.
 * `npm run openapi` writes it to docs/openapi.json; the local gateway serves it at /openapi.json.
 *
 * It imports every route's handler module, so it lives in infra/ and is in no Lambda bundle.
 * Success answers are the zod schemas of each handler's `responses` (shared/schemas/*), errors
 * the one error format every route shares; the schemas named in RESPONSE_SCHEMA_NAMES are
 * components (the typed client's `components['schemas']`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { $ZodType } from 'zod/v4/core';
import {
  ForbiddenError,
  InvalidStateError,
  NoZoomMeetingError,
  NotFoundError,
  OpenRequestLimitError,
  SessionNotBookedError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  SlotUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  ZoomUserNotFoundError,
  ZoomUserUnusableError,
} from '../shared/domain/errors';
import type { RouteOptions } from '../shared/http/handler';
import { handlerEntry, ROUTES, routeKey, type RouteDef } from '../shared/http/routes';
import { errorResponse, healthResponse, healthUnavailableResponse, moneyResponse } from '../shared/schemas/common';
import { ledgerEntryResponse, owedRefundResponse, tutorStatsResponse, walletResponse } from '../shared/schemas/dashboards';
import { notificationResponse } from '../shared/schemas/notifications';
import { meResponse, tutorApplicationResponse } from '../shared/schemas/identity';
import { zoomUserLinkResponse } from '../shared/schemas/zoom-user';
import { preferencesResponse } from '../shared/schemas/email';
import { adminWithdrawalResponse, bankResponse, payoutAccountResponse, withdrawalResponse } from '../shared/schemas/payouts';
import {
  bookingResponse,
  cancelResponse,
  hostLinkResponse,
  partySummary,
  paymentResponse,
  recordingResponse,
  reviewSessionResponse,
  sessionPageResponse,
  sessionResponse,
  tutorSessionResponse,
} from '../shared/schemas/session';
import { reviewResponse } from '../shared/schemas/review';
import { slotsResponse, tutorPageResponse, tutorProfileResponse } from '../shared/schemas/tutor';
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
  description?: string;
  tags: string[];
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

/** The document's tags: one per resource, in the order a reader meets them. */
export const TAGS = {
  Health: 'Whether the API can serve',
  Identity: 'Who the caller is, their email preferences, and applying to tutor',
  Tutors: 'Tutor profiles, their reviews and free times',
  Sessions: 'Booking, paying for, running and closing a mentorship session',
  Dashboards: 'The student’s and the tutor’s lists and figures, the tutor’s wallet',
  Notifications: 'The caller’s inbox (the same notifications are pushed over the WebSocket API)',
  Admin: 'Operators: sessions by status, refunds owed, applications to tutor, withdrawals',
  Payouts: 'The tutor’s payout account and withdrawals from the wallet (Paystack Transfers)',
  Webhooks: 'Called by Paystack, Zoom and mail clients, signed by them (or carrying a signed link) instead of a token',
} as const;
export type Tag = keyof typeof TAGS;

interface RouteDoc {
  summary: string;
  tag: Tag;
  /** What the schemas cannot say (idempotency, who sees what). */
  description?: string;
  /** Statuses the route's use case answers beyond what its contract implies (see shared/usecases). */
  also?: (403 | 404 | 409 | 422 | 502)[];
  /** The route's own 503 answer, when it is not the error format (GET /health). */
  unavailable?: string;
}

/** Per handler; a route without an entry gets a bare summary (and the OpenAPI test fails). */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  health: {
    summary: 'Readiness: the table answers a read',
    tag: 'Health',
    unavailable: 'The table did not answer; send the request again after Retry-After seconds',
  },
  listTutors: { summary: 'Browse tutors', tag: 'Tutors' },
  getTutor: { summary: 'A tutor’s public profile', tag: 'Tutors', description: 'With rates, availability and the five newest reviews.' },
  putMyTutorProfile: { summary: 'Create or update your tutor profile', tag: 'Tutors', description: 'Ratings and `createdAt` are kept on an update.' },
  listTutorSlots: { summary: 'A tutor’s free start times', tag: 'Tutors' },
  createSession: {
    summary: 'Book a session',
    tag: 'Sessions',
    description: 'INSTANT also answers `payment` (send the student to its `authorizationUrl`); REQUEST answers the session PENDING_MENTOR_REVIEW and no payment.',
    also: [403, 409, 502],
  },
  getSession: { summary: 'A session', tag: 'Sessions', description: 'Its tutor gets `hostsMeeting` when the Zoom meeting can be started as host.' },
  getHostLink: {
    summary: 'A fresh Zoom start link for the session’s tutor',
    tag: 'Sessions',
    description: 'Read from Zoom on every call, never stored: open it at once (it expires at `expiresAt`). NO_ZOOM_MEETING when the session’s link is the tutor’s own.',
    also: [403, 409, 502],
  },
  approveSession: { summary: 'Approve a booking request', tag: 'Sessions', description: 'The session becomes SCHEDULED with payment PENDING.', also: [409] },
  rejectSession: { summary: 'Reject a booking request', tag: 'Sessions', description: 'The session becomes REJECTED with `approvalNotes` and `rejectedAt`.', also: [409] },
  startPayment: { summary: 'Proceed to payment', tag: 'Sessions', description: 'Calling again answers the same open transaction.', also: [409, 502] },
  cancelSession: { summary: 'Cancel a session', tag: 'Sessions', description: 'A paid session is refunded: `refund` says how much is on its way back.', also: [409] },
  rescheduleSession: { summary: 'Move a session', tag: 'Sessions', also: [409] },
  reviewSession: { summary: 'Review a completed session', tag: 'Sessions', also: [409] },
  setMeetingUrl: { summary: 'Set the session’s meeting link', tag: 'Sessions', also: [403, 409] },
  listRecordings: { summary: 'The session’s cloud recordings', tag: 'Sessions', description: 'The recordings Zoom reported for the session’s meeting.' },
  getSessionCalendar: {
    summary: 'The session as a calendar file (.ics)',
    tag: 'Sessions',
    description:
      'For the session’s two participants, once it is booked (paid): an iCalendar file (METHOD:PUBLISH) with the same UID and the current SEQUENCE as the emailed invites; STATUS:CANCELLED once cancelled. SESSION_NOT_BOOKED (409) before payment.',
    also: [409],
  },
  listMySessions: { summary: 'Your sessions as a student, by view', tag: 'Dashboards' },
  listTutorSessions: { summary: 'Your sessions as a tutor, by view', tag: 'Dashboards' },
  getTutorStats: { summary: 'Your tutor dashboard figures', tag: 'Dashboards' },
  getMyWallet: { summary: 'Your wallet', tag: 'Dashboards' },
  listMyNotifications: { summary: 'Your notifications', tag: 'Notifications' },
  markNotificationRead: { summary: 'Mark a notification read', tag: 'Notifications' },
  listAdminSessions: { summary: 'Sessions by status', tag: 'Admin' },
  listAdminRefunds: { summary: 'Refunds owed, by status', tag: 'Admin', description: 'Newest first, with how asking Paystack went (`attempts`, `lastError`).' },
  paystackWebhook: { summary: 'Paystack webhook', tag: 'Webhooks', description: 'Answers 200 also for an event already handled.' },
  zoomWebhook: { summary: 'Zoom webhook', tag: 'Webhooks', description: '`endpoint.url_validation` is answered with the signed token; other events with what they came to.' },
  putMyZoomUser: {
    summary: 'Link (or unlink) your own Zoom user (tutors)',
    tag: 'Identity',
    description:
      'Your sessions’ meetings are then hosted by it. It must be an active user of our Zoom account: ZOOM_USER_NOT_FOUND or ZOOM_USER_UNUSABLE otherwise. `email: null` unlinks it: later meetings go to the shared hosts again.',
    also: [403, 409, 502],
  },
  getMe: {
    summary: 'Who you are',
    tag: 'Identity',
    description: '`roles` are those of the token sent (a role granted since arrives with the next token); `tutorProfile` and `tutorApplication` are null when there is none.',
  },
  applyToTutor: {
    summary: 'Apply to tutor',
    tag: 'Identity',
    description: 'Sending the same profile again while it is pending answers the same application; applying again after a decline replaces it.',
    also: [409],
  },
  listTutorApplications: { summary: 'Applications to tutor, by status', tag: 'Admin', description: 'Oldest first; `status` defaults to PENDING.' },
  approveTutorApplication: {
    summary: 'Approve an application to tutor',
    tag: 'Admin',
    description: 'The applicant joins the tutor group, their profile is published and they are notified; approving again answers the same.',
    also: [409],
  },
  declineTutorApplication: {
    summary: 'Decline an application to tutor',
    tag: 'Admin',
    description: 'DECLINED with the `reason` the applicant is told; declining again answers the same.',
    also: [409],
  },
  getMyPreferences: {
    summary: 'Your email preferences',
    tag: 'Identity',
    description: 'Times in emails are in `timeZone` (UTC until set); `alwaysSent` are the kinds about money, which cannot be switched off.',
  },
  putMyPreferences: {
    summary: 'Replace your email preferences',
    tag: 'Identity',
    description: 'Kinds left out are on; a kind about money (`alwaysSent`) may only be sent as true.',
  },
  listBanks: { summary: 'Banks payouts can go to', tag: 'Payouts', description: 'Paystack’s list for the currency, cached for a few hours.', also: [502] },
  getMyPayoutAccount: { summary: 'Your payout account', tag: 'Payouts', description: '404 PAYOUT_ACCOUNT_NOT_FOUND until one is set.', also: [404] },
  putMyPayoutAccount: {
    summary: 'Set your payout account',
    tag: 'Payouts',
    description:
      'The account is resolved with Paystack (its holder’s name is answered for confirmation) and made a transfer recipient; you are notified and emailed. 422 ACCOUNT_NOT_RESOLVED when the bank does not confirm it; 409 WITHDRAWAL_IN_FLIGHT while a withdrawal is PENDING or PROCESSING.',
    also: [409, 422, 502],
  },
  createWithdrawal: {
    summary: 'Withdraw from your wallet',
    tag: 'Payouts',
    description:
      'Debits the available balance into a PENDING withdrawal to your payout account; the transfer follows asynchronously. 400 BELOW_MINIMUM under WITHDRAWAL_MINIMUM; 409 INSUFFICIENT_BALANCE, NO_PAYOUT_ACCOUNT.',
    also: [409],
  },
  listMyWithdrawals: { summary: 'Your withdrawals', tag: 'Payouts', description: 'Newest first.' },
  listAdminWithdrawals: {
    summary: 'Withdrawals by status',
    tag: 'Admin',
    description: 'Newest first; `status` defaults to PENDING. `attempts` and `lastError` say how asking Paystack went.',
  },
  retryWithdrawal: {
    summary: 'Retry a failed withdrawal',
    tag: 'Admin',
    description:
      'Only a FAILED or REVERSED withdrawal (its money went back), once: a new PENDING withdrawal of the same amount with a new reference, to the tutor’s payout account as it is now, debited again. 409 NOT_RETRYABLE, INSUFFICIENT_BALANCE, NO_PAYOUT_ACCOUNT.',
    also: [409],
  },
  emailUnsubscribe: {
    summary: 'One-click unsubscribe (RFC 8058)',
    tag: 'Webhooks',
    description: 'The kind the link names (or every optional kind) is switched off for the link’s user. No sign-in: the token in the link is signed.',
  },
};

/**
 * Response schemas that are components, by name: the typed client's
 * `components['schemas'][name]`. Other response schemas are written out where they are used.
 */
export const RESPONSE_SCHEMA_NAMES: readonly (readonly [z.ZodMiniType, string])[] = [
  [errorResponse, 'Error'],
  [moneyResponse, 'Money'],
  [partySummary, 'PartySummary'],
  [sessionResponse, 'Session'],
  [sessionPageResponse, 'SessionPage'],
  [hostLinkResponse, 'HostLink'],
  [zoomUserLinkResponse, 'ZoomUserLink'],
  [tutorSessionResponse, 'TutorSession'],
  [bookingResponse, 'Booking'],
  [paymentResponse, 'Payment'],
  [cancelResponse, 'Cancellation'],
  [reviewResponse, 'Review'],
  [reviewSessionResponse, 'ReviewResult'],
  [recordingResponse, 'Recording'],
  [tutorProfileResponse, 'TutorProfile'],
  [tutorPageResponse, 'TutorPage'],
  [slotsResponse, 'Slots'],
  [tutorStatsResponse, 'TutorStats'],
  [ledgerEntryResponse, 'LedgerEntry'],
  [walletResponse, 'Wallet'],
  [owedRefundResponse, 'OwedRefund'],
  [notificationResponse, 'Notification'],
  [meResponse, 'Me'],
  [tutorApplicationResponse, 'TutorApplication'],
  [preferencesResponse, 'Preferences'],
  [bankResponse, 'Bank'],
  [payoutAccountResponse, 'PayoutAccount'],
  [withdrawalResponse, 'Withdrawal'],
  [adminWithdrawalResponse, 'AdminWithdrawal'],
  [healthResponse, 'Health'],
  [healthUnavailableResponse, 'HealthUnavailable'],
];

/**
 * GET /health's answers: its handler stays outside the middy chain and without zod (cold start,
 * see functions/http/health.ts), so its schemas are named here rather than in its contract.
 */
const OUTSIDE_CONTRACT: Readonly<Record<string, Readonly<Record<number, z.ZodMiniType>>>> = {
  health: { 200: healthResponse, 503: healthUnavailableResponse },
};

// ---------------------------------------------------------------- errors

const codes = (...errors: (new (message: string) => { code: string })[]) => errors.map((E) => new E('').code).join(', ');

/** components.responses, by status. */
const ERROR_RESPONSES: Record<number, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description: `${codes(ValidationError)} (BELOW_MINIMUM for a withdrawal under the minimum): the path, query or body does not match the schema (unknown fields included), or the body is not JSON`,
  },
  401: { name: 'Unauthorized', description: `${codes(UnauthorizedError)}: a missing or invalid bearer token, or webhook signature` },
  403: { name: 'Forbidden', description: `${codes(ForbiddenError)}: the caller’s roles, or ownership, do not allow this` },
  404: { name: 'NotFound', description: `${codes(NotFoundError)}, PAYOUT_ACCOUNT_NOT_FOUND: no such resource, or one the caller may not see` },
  409: {
    name: 'Conflict',
    description: `${codes(InvalidStateError, SlotUnavailableError, OpenRequestLimitError, SessionNotBookedError, NoZoomMeetingError, ZoomUserNotFoundError, ZoomUserUnusableError)}, INSUFFICIENT_BALANCE, NO_PAYOUT_ACCOUNT, WITHDRAWAL_IN_FLIGHT, NOT_RETRYABLE: not allowed in the current state`,
  },
  422: { name: 'Unprocessable', description: 'ACCOUNT_NOT_RESOLVED: the bank could not confirm the account' },
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

/**
 * Response schemas as they are sent (io 'output'). A schema named in RESPONSE_SCHEMA_NAMES
 * becomes a `$ref` to components.schemas; `components` collects the named ones met so far.
 * zod reads names (`id`) and descriptions from one metadata registry: this one answers both.
 */
const responseSchema = (schema: $ZodType, components: Record<string, JsonSchema>): JsonSchema => {
  const names = new Map<unknown, string>(RESPONSE_SCHEMA_NAMES);
  const metadata = { get: (s: unknown) => ({ ...(z.globalRegistry.get(s as $ZodType) ?? {}), ...(names.has(s) ? { id: names.get(s) } : {}) }) };
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any', metadata: metadata as never }) as JsonSchema;
  const {
    $schema: _dialect,
    $defs,
    ...json
  } = JSON.parse(JSON.stringify(converted).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  for (const [name, def] of Object.entries($defs ?? {})) {
    const known = components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(def)) throw new Error(`Two response schemas are named ${name}`);
    components[name] = def;
  }
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

/** A body read as raw bytes: a signed webhook's (verified, then parsed by the chain) or one the handler reads itself. */
const isRaw = (c: Contract) => Boolean(c.rawBody) || Boolean(c.signature);
const rawBodyOf = (c: Contract) => (c.signature ? { body: c.body, headers: c.signature.headers } : typeof c.rawBody === 'object' ? c.rawBody : undefined);

const requestBodyOf = (c: Contract): Operation['requestBody'] => {
  const schema = rawBodyOf(c)?.body ?? c.body;
  if (!schema && !isRaw(c)) return undefined;
  return {
    ...(isRaw(c) ? { description: 'Read as raw bytes: the signature covers them exactly' } : {}),
    required: schema ? !schema.safeParse(undefined).success : true,
    content: { 'application/json': { schema: schema ? toSchema(schema) : {} } },
  };
};

// ---------------------------------------------------------------- operations

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });

const operation = (route: RouteDef, contract: Contract, components: Record<string, JsonSchema>): Operation => {
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
  if (route.authBy === 'jwt' || isRaw(contract)) statuses.add(401);
  if (route.authBy === 'jwt' && route.roles?.length) statuses.add(403);
  if (inPath.length > 0) statuses.add(404);
  if (requestBody) statuses.add(413);
  if (requestBody && !isRaw(contract)) statuses.add(415);
  for (const s of doc?.also ?? []) statuses.add(s);
  statuses.add(500);
  statuses.add(503);

  const answers = OUTSIDE_CONTRACT[route.handler] ?? contract.responses ?? {};
  const json = (schema: $ZodType) => ({ 'application/json': { schema: responseSchema(schema, components) } });
  // A success answer that is not JSON (a file) is documented under its own media type.
  const success = (schema: $ZodType) => (contract.responseContentType ? { [contract.responseContentType.split(';')[0]!]: { schema: toSchema(schema) } } : json(schema));
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(answers)) {
    if (Number(status) >= 300) continue;
    responses[status] = { description: Number(status) === 201 ? 'Created' : 'OK', content: success(schema) };
  }
  for (const s of [...statuses].sort((a, b) => a - b)) responses[String(s)] = ref(ERROR_RESPONSES[s]!.name);
  if (doc?.unavailable) responses['503'] = { description: doc.unavailable, headers: RETRY_AFTER_HEADER, content: json(answers[503] ?? errorResponse) };

  const roles = route.authBy === 'jwt' ? (route.roles ?? []) : [];
  return {
    operationId: route.handler,
    summary: doc?.summary ?? route.handler,
    ...(doc?.description ? { description: doc.description } : {}),
    tags: doc ? [doc.tag] : [],
    // OpenAPI 3.1 lets a bearer scheme list role names; alternatives in the array mean "any one of".
    security: route.authBy !== 'jwt' ? [] : roles.length ? roles.map((role) => ({ [SECURITY_SCHEME]: [role] })) : [{ [SECURITY_SCHEME]: [] }],
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

const packageJson = (): { version: string; license: string } => JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string; license: string };

export const buildOpenApi = async (routes: readonly RouteDef[] = ROUTES, load: (route: RouteDef) => Promise<Contract> = importContract): Promise<OpenApiDocument> => {
  const contracts = await Promise.all(routes.map(load));
  const paths: OpenApiDocument['paths'] = {};
  // Error first: every error answer refers to it.
  const schemas: Record<string, JsonSchema> = {};
  responseSchema(errorResponse, schemas);
  routes.forEach((route, i) => {
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, contracts[i]!, schemas);
  });
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
  return {
    openapi: '3.1.1',
    info: {
      title: 'Mentorship booking API',
      version: packageJson().version,
      // package.json's license is an SPDX identifier.
      license: { name: packageJson().license, identifier: packageJson().license },
      description:
        'Generated from the route table and the zod schemas the handlers validate with (npm run openapi). Unknown fields in a path, query or body are a 400. A rule that relates two parameters is on the later one: `x-after` names the parameter it must be after, `x-maxDaysAfter` how many days after it at most.',
    },
    servers: [{ url: '/' }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: sortedSchemas,
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
