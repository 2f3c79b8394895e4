/**
 * Zoom, as the rest of the code sees it: create, read, move and delete a meeting, list the
 * host's meetings, read a meeting's cloud recordings, find a user. A small typed client over
 * `fetch`: Server-to-Server OAuth (one token per container, shared by concurrent callers,
 * refreshed once on a 401), every body sent and every answer checked with its schema, retries
 * with backoff. Creating a meeting is the one call Zoom does not deduplicate: see
 * CreateMeetingOptions. Locally ZOOM_API_BASE_URL and ZOOM_OAUTH_URL point it at
 * infra/local/emulators/zoom/.
 */
import { zoomApiBaseUrl, zoomCredentialSource, zoomOauthUrl, zoomUserId, type ZoomCredentials } from '../config';
import { logger } from '../observability/logger';
import { integer, nonEmptyString } from '../schemas/primitives';
import * as z from '../schemas/zod';
import { retryReason, retrySettings, type RetryInfo as BaseRetryInfo, type RetryOptions } from './retry';
import { secretJson, secretProvider, secretReader } from './secrets';
import {
  createMeetingRequest,
  LIST_MEETING_TYPES,
  meetingListResponse,
  recordingsResponse,
  tokenErrorBody,
  tokenResponse,
  updateMeetingRequest,
  ZOOM_PAGE_SIZE_MAX,
  zoomErrorBody,
  zoomMeeting,
  zoomMeetingId,
  zoomUser,
  zoomUserRef,
  type CreateMeetingRequest,
  type ListMeetingType,
  type MeetingListResponse,
  type RecordingsResponse,
  type UpdateMeetingRequest,
  type ZoomMeeting,
  type ZoomUser,
  type ZoomMeetingSummary,
} from '../schemas/zoom';

// ---------------------------------------------------------------- errors

export type ZoomErrorCode =
  /** Our own request failed its schema; nothing was sent. */
  | 'INVALID_REQUEST'
  /** The OAuth endpoint refused the credentials (wrong account id, client id or secret). */
  | 'AUTH_FAILED'
  /** The API refused the token, still after one refresh. */
  | 'UNAUTHORIZED'
  /** The meeting (or the host user) does not exist. */
  | 'NOT_FOUND'
  /** Any other 4xx: Zoom refused the request; `message` is Zoom's. */
  | 'REJECTED'
  /** 5xx or 429, still after the last retry. */
  | 'UNAVAILABLE'
  /** No answer within the timeout, on every attempt. */
  | 'TIMEOUT'
  /** The connection failed, on every attempt. */
  | 'NETWORK'
  /** A 2xx whose body is not what the response schema says. */
  | 'BAD_RESPONSE';

export type ZoomOperation = 'token' | 'createMeeting' | 'getMeeting' | 'updateMeeting' | 'deleteMeeting' | 'listMeetings' | 'getMeetingRecordings' | 'getUser';

export class ZoomError extends Error {
  readonly code: ZoomErrorCode;
  readonly operation: ZoomOperation;
  /** The HTTP status, when Zoom answered. */
  readonly status?: number;
  /** Zoom's own error code (3001 meeting not found, 124 invalid token, `invalid_client`, …), when it sent one. */
  readonly zoomCode?: number | string;
  /** How many requests were made (0: refused before sending). */
  readonly attempts: number;

  constructor(init: { code: ZoomErrorCode; operation: ZoomOperation; message: string; status?: number; zoomCode?: number | string; attempts: number; cause?: unknown }) {
    super(`Zoom ${init.operation}: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ZoomError';
    this.code = init.code;
    this.operation = init.operation;
    this.attempts = init.attempts;
    if (init.status !== undefined) this.status = init.status;
    if (init.zoomCode !== undefined) this.zoomCode = init.zoomCode;
  }
}

export const isZoomError = (e: unknown, code?: ZoomErrorCode): e is ZoomError => e instanceof ZoomError && (code === undefined || e.code === code);

// ---------------------------------------------------------------- the client

export interface ListMeetingsOptions {
  /** Default `scheduled`: every meeting not yet expired, upcoming or live. */
  type?: ListMeetingType;
  /** Default and maximum 300. */
  pageSize?: number;
  nextPageToken?: string;
}

export interface CreateMeetingOptions {
  /**
   * Asked before each retry that follows an ambiguous failure (timeout, 5xx, a connection
   * lost after sending: the meeting may have been created all the same): a meeting it returns
   * is taken as the one this call created. Without it such failures are not retried; a create
   * that surely never reached Zoom (429, connection refused) is retried either way.
   */
  findExisting?: () => Promise<ZoomMeeting | undefined>;
}

export interface ZoomClient {
  /** The host user meetings are created for (`me` by default). */
  readonly userId: string;
  /** POST /users/{userId}/meetings. */
  createMeeting(req: CreateMeetingRequest, opts?: CreateMeetingOptions): Promise<ZoomMeeting>;
  /** GET /meetings/{meetingId}, with the host's start_url. */
  getMeeting(meetingId: string): Promise<ZoomMeeting>;
  /** PATCH /meetings/{meetingId} (a reschedule: start_time, duration). Zoom answers 204. */
  updateMeeting(meetingId: string, patch: UpdateMeetingRequest): Promise<void>;
  /** DELETE /meetings/{meetingId}. A meeting that is not there (404) counts as deleted. */
  deleteMeeting(meetingId: string): Promise<'deleted' | 'absent'>;
  /** GET /users/{userId}/meetings: one page. */
  listMeetings(opts?: ListMeetingsOptions): Promise<MeetingListResponse>;
  /** GET /meetings/{meetingId}/recordings: null when the meeting has no recordings (404). */
  getMeetingRecordings(meetingId: string): Promise<RecordingsResponse | null>;
  /** GET /users/{userId}: a user of the account, by id or email; null when there is none (404). */
  getUser(userIdOrEmail: string): Promise<ZoomUser | null>;
  /** The same client (one token) creating and listing the meetings of another host user. */
  asUser(userId: string): ZoomClient;
}

export type RetryInfo = BaseRetryInfo<ZoomOperation>;

export interface ZoomClientOptions extends RetryOptions<ZoomOperation> {
  /** e.g. https://api.zoom.us/v2 */
  apiBaseUrl: string;
  /** e.g. https://zoom.us/oauth/token */
  oauthUrl: string;
  /** The app's credentials, or a function that yields them (e.g. from Secrets Manager, cached). */
  credentials: ZoomCredentials | (() => ZoomCredentials | Promise<ZoomCredentials>);
  /** Default `me`. */
  userId?: string;
  /** Epoch milliseconds; decides when the cached token is stale. Default Date.now. */
  now?: () => number;
  /** Refresh this long before the token expires. Default 60 s (at most half the token's lifetime). */
  refreshMarginMs?: number;
}

const defaultOnRetry = (info: RetryInfo) => logger.warn('Zoom call retried', { ...info });

/** Errors from fetch that mean the request never left this machine, so any request may be repeated. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const causeCode = (e: unknown): string | undefined => {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
};

/**
 * What to do after a failed attempt: `yes` retry, `no` give up, `ambiguous` the request may
 * have taken effect (retry only with a lookup first), `again` repeat at once (after a refresh).
 */
type Retry = 'yes' | 'no' | 'ambiguous' | 'again';
type Outcome<T> = { ok: T } | { fail: ZoomError; retry: Retry; retryAfterMs?: number };

interface CachedToken {
  value: string;
  expiresAt: number;
  ttlMs: number;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface CallSpec<T> {
  operation: ZoomOperation;
  method: Method;
  /** Below apiBaseUrl, with the query string. */
  path: string;
  body?: unknown;
  /** null: Zoom answers 204 without a body. */
  schema: z.ZodMiniType<T> | null;
  /** What a 404 means: an error (default) or the answer `null`. */
  notFound?: 'error' | 'null';
  /** false: a repeat may do the work twice (POST create). */
  idempotent: boolean;
  findExisting?: () => Promise<T | undefined>;
}

const parseJson = (text: string): { json: unknown; error?: unknown } => {
  try {
    return { json: text ? JSON.parse(text) : undefined };
  } catch (error) {
    return { json: undefined, error };
  }
};

const issues = (error: z.core.$ZodError, root: string) => error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');

/** Retry-After in seconds (or an HTTP date), in milliseconds. */
const retryAfterMs = (res: Response, now: number): number | undefined => {
  const raw = res.headers.get('retry-after');
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
};

export const createZoomClient = (opts: ZoomClientOptions): ZoomClient => {
  const apiBaseUrl = opts.apiBaseUrl.replace(/\/+$/, '');
  const oauthUrl = opts.oauthUrl.replace(/\/+$/, '');
  const userId = opts.userId ?? 'me';
  const { timeoutMs, retries, fetch: doFetch, sleep, onRetry, maxMs, backoffMs } = retrySettings(opts, { backoffBaseMs: 250, onRetry: defaultOnRetry });
  const now = opts.now ?? Date.now;
  const refreshMarginMs = opts.refreshMarginMs ?? 60_000;
  const credentials = async (): Promise<ZoomCredentials> => (typeof opts.credentials === 'function' ? opts.credentials() : opts.credentials);

  /** One fetch with its timeout; a thrown error is classified, never rethrown. */
  const send = async (
    operation: ZoomOperation,
    attempt: number,
    idempotent: boolean,
    url: string,
    init: RequestInit,
  ): Promise<{ res: Response; text: string } | { fail: ZoomError; retry: Retry }> => {
    try {
      const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      return { res, text: await res.text() };
    } catch (e) {
      const name = (e as { name?: string } | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return {
          fail: new ZoomError({ code: 'TIMEOUT', operation, message: `no answer within ${timeoutMs} ms`, attempts: attempt, cause: e }),
          retry: idempotent ? 'yes' : 'ambiguous',
        };
      }
      const code = causeCode(e);
      const unsent = code !== undefined && UNSENT_CODES.has(code);
      return {
        fail: new ZoomError({ code: 'NETWORK', operation, message: `${(e as Error)?.message ?? String(e)}${code ? ` (${code})` : ''}`, attempts: attempt, cause: e }),
        retry: idempotent || unsent ? 'yes' : 'ambiguous',
      };
    }
  };

  /**
   * Attempts until one succeeds or a failure may not be retried, each with its own timeout;
   * exponential backoff with full jitter between. 429, 5xx, timeouts and network errors are
   * retried (a 429's Retry-After honoured up to the backoff cap); other 4xx never are.
   */
  const run = async <T>(operation: ZoomOperation, attemptOnce: (attempt: number) => Promise<Outcome<T>>, findExisting?: () => Promise<T | undefined>): Promise<T> => {
    let retried = 0;
    for (let attempt = 1; ; attempt++) {
      const result = await attemptOnce(attempt);
      if ('ok' in result) return result.ok;
      if (result.retry === 'again') continue;
      const retry = result.retry === 'yes' || (result.retry === 'ambiguous' && findExisting !== undefined);
      if (!retry || retried >= retries) throw result.fail;
      retried += 1;
      const delayMs = Math.min(maxMs, Math.max(backoffMs(retried), result.retryAfterMs ?? 0));
      onRetry({ operation, attempt, delayMs, reason: retryReason(result.fail) });
      await sleep(delayMs);
      if (result.retry === 'ambiguous') {
        const found = await findExisting!();
        if (found !== undefined) return found;
      }
    }
  };

  // ---------------------------------------------------------------- the token

  let cached: CachedToken | undefined;
  let inflight: Promise<CachedToken> | undefined;

  const fresh = (t: CachedToken): boolean => now() < t.expiresAt - Math.min(refreshMarginMs, t.ttlMs / 2);

  const fetchToken = async (): Promise<CachedToken> => {
    const creds = await credentials();
    const url = `${oauthUrl}?grant_type=account_credentials&account_id=${encodeURIComponent(creds.accountId)}`;
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`, 'utf8').toString('base64');
    return run('token', async (attempt): Promise<Outcome<CachedToken>> => {
      const requestedAt = now();
      const sent = await send('token', attempt, true, url, { method: 'POST', headers: { authorization: `Basic ${basic}`, accept: 'application/json' } });
      if ('fail' in sent) return sent;
      const { res, text } = sent;
      const { json, error } = parseJson(text);
      const fail = (code: ZoomErrorCode, message: string, retry: Retry, zoomCode?: string, cause?: unknown): Outcome<never> => ({
        fail: new ZoomError({ code, operation: 'token', message, status: res.status, attempts: attempt, ...(zoomCode ? { zoomCode } : {}), ...(cause ? { cause } : {}) }),
        retry,
        ...(res.status === 429 ? { retryAfterMs: retryAfterMs(res, requestedAt) } : {}),
      });
      if (res.ok) {
        const parsed = tokenResponse.safeParse(json);
        if (!parsed.success)
          return fail(
            'BAD_RESPONSE',
            `unexpected answer (${res.status}): ${error ? 'the body is not JSON' : issues(parsed.error, '(body)')}`,
            'no',
            undefined,
            error ?? parsed.error,
          );
        const ttlMs = parsed.data.expires_in * 1000;
        return { ok: { value: parsed.data.access_token, expiresAt: requestedAt + ttlMs, ttlMs } };
      }
      const body = tokenErrorBody.safeParse(json);
      const message = (body.success ? (body.data.reason ?? body.data.error) : undefined) ?? (text.slice(0, 200) || 'no message');
      const zoomCode = body.success ? body.data.error : undefined;
      if (res.status === 429 || res.status >= 500) return fail('UNAVAILABLE', message, 'yes', zoomCode);
      return fail('AUTH_FAILED', message, 'no', zoomCode);
    });
  };

  /** One token request at a time: concurrent callers share the one in flight. */
  const refreshToken = (): Promise<CachedToken> =>
    (inflight ??= fetchToken()
      .then((t) => (cached = t))
      .finally(() => {
        inflight = undefined;
      }));

  const accessToken = async (): Promise<string> => (cached && fresh(cached) ? cached.value : (await refreshToken()).value);

  /** Forget a token the API refused, unless it was replaced meanwhile. */
  const forget = (token: string) => {
    if (cached?.value === token) cached = undefined;
  };

  // ---------------------------------------------------------------- API calls

  const call = <T>(spec: CallSpec<T>): Promise<T> => {
    let refreshed = false;
    return run(
      spec.operation,
      async (attempt): Promise<Outcome<T>> => {
        const token = await accessToken();
        const startedAt = now();
        const sent = await send(spec.operation, attempt, spec.idempotent, `${apiBaseUrl}${spec.path}`, {
          method: spec.method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        });
        if ('fail' in sent) return sent;
        const { res, text } = sent;
        const status = res.status;
        const { json, error } = parseJson(text);
        const fail = (code: ZoomErrorCode, message: string, retry: Retry, zoomCode?: number | string, cause?: unknown): Outcome<never> => ({
          fail: new ZoomError({
            code,
            operation: spec.operation,
            message,
            status,
            attempts: attempt,
            ...(zoomCode !== undefined ? { zoomCode } : {}),
            ...(cause ? { cause } : {}),
          }),
          retry,
          ...(status === 429 ? { retryAfterMs: retryAfterMs(res, startedAt) } : {}),
        });
        if (status >= 200 && status < 300) {
          if (spec.schema === null) return { ok: undefined as T };
          const parsed = spec.schema.safeParse(json);
          if (!parsed.success)
            return fail(
              'BAD_RESPONSE',
              `unexpected answer (${status}): ${error ? 'the body is not JSON' : issues(parsed.error, '(body)')}`,
              'no',
              undefined,
              error ?? parsed.error,
            );
          return { ok: parsed.data };
        }
        const body = zoomErrorBody.safeParse(json);
        const message = body.success ? body.data.message : text.slice(0, 200) || 'no message';
        const zoomCode = body.success ? body.data.code : undefined;
        if (status === 401) {
          // An expired or revoked token: one refresh, one more try.
          if (!refreshed) {
            refreshed = true;
            forget(token);
            return { ...fail('UNAUTHORIZED', message, 'no', zoomCode), retry: 'again' };
          }
          return fail('UNAUTHORIZED', message, 'no', zoomCode);
        }
        if (status === 404) return spec.notFound === 'null' ? { ok: null as T } : fail('NOT_FOUND', message, 'no', zoomCode);
        // 429: Zoom refused before doing anything, so even a create may be repeated.
        if (status === 429) return fail('UNAVAILABLE', message, 'yes', zoomCode);
        if (status >= 500) return fail('UNAVAILABLE', message, spec.idempotent ? 'yes' : 'ambiguous', zoomCode);
        return fail('REJECTED', message, 'no', zoomCode);
      },
      spec.findExisting,
    );
  };

  const checked = <S extends z.ZodMiniType>(operation: ZoomOperation, schema: S, input: unknown): z.output<S> => {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    throw new ZoomError({ code: 'INVALID_REQUEST', operation, message: `invalid request: ${issues(parsed.error, '(request)')}`, attempts: 0, cause: parsed.error });
  };

  const forUser = (userId: string): ZoomClient => {
    const userPath = `/users/${encodeURIComponent(userId)}`;
    return {
      userId,
      async createMeeting(req, createOpts = {}) {
        const body = checked('createMeeting', createMeetingRequest, req);
        return call({
          operation: 'createMeeting',
          method: 'POST',
          path: `${userPath}/meetings`,
          body,
          schema: zoomMeeting,
          idempotent: false,
          ...(createOpts.findExisting ? { findExisting: createOpts.findExisting } : {}),
        });
      },
      async getMeeting(meetingId) {
        const id = checked('getMeeting', zoomMeetingId, meetingId);
        return call({ operation: 'getMeeting', method: 'GET', path: `/meetings/${id}`, schema: zoomMeeting, idempotent: true });
      },
      async updateMeeting(meetingId, patch) {
        const id = checked('updateMeeting', zoomMeetingId, meetingId);
        const body = checked('updateMeeting', updateMeetingRequest, patch);
        // The same patch twice leaves the same meeting: safe to repeat.
        await call({ operation: 'updateMeeting', method: 'PATCH', path: `/meetings/${id}`, body, schema: null, idempotent: true });
      },
      async deleteMeeting(meetingId) {
        const id = checked('deleteMeeting', zoomMeetingId, meetingId);
        const gone = await call<null | undefined>({ operation: 'deleteMeeting', method: 'DELETE', path: `/meetings/${id}`, schema: null, notFound: 'null', idempotent: true });
        return gone === null ? 'absent' : 'deleted';
      },
      async listMeetings(listOpts = {}) {
        const query = checked(
          'listMeetings',
          z.object({
            type: z.enum(LIST_MEETING_TYPES),
            page_size: integer(z.minimum(1), z.maximum(ZOOM_PAGE_SIZE_MAX)),
            next_page_token: z.optional(z.string().check(z.maxLength(512))),
          }),
          {
            type: listOpts.type ?? 'scheduled',
            page_size: listOpts.pageSize ?? ZOOM_PAGE_SIZE_MAX,
            ...(listOpts.nextPageToken ? { next_page_token: listOpts.nextPageToken } : {}),
          },
        );
        const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
        return call({ operation: 'listMeetings', method: 'GET', path: `${userPath}/meetings?${qs}`, schema: meetingListResponse, idempotent: true });
      },
      async getMeetingRecordings(meetingId) {
        const id = checked('getMeetingRecordings', zoomMeetingId, meetingId);
        return call<RecordingsResponse | null>({
          operation: 'getMeetingRecordings',
          method: 'GET',
          path: `/meetings/${id}/recordings`,
          schema: recordingsResponse,
          notFound: 'null',
          idempotent: true,
        });
      },
      async getUser(userIdOrEmail) {
        const ref = checked('getUser', zoomUserRef, userIdOrEmail);
        return call<ZoomUser | null>({ operation: 'getUser', method: 'GET', path: `/users/${encodeURIComponent(ref)}`, schema: zoomUser, notFound: 'null', idempotent: true });
      },
      asUser: (other) => forUser(checked('createMeeting', zoomUserRef, other)),
    };
  };
  return forUser(userId);
};

/**
 * The host's meetings that match, over every page (at most `maxPages` pages of `pageSize`,
 * default 50 × 300). Throws if there are more pages than that: "not found" would be a guess.
 */
export const findMeetings = async (
  client: ZoomClient,
  matches: (m: ZoomMeetingSummary) => boolean,
  opts: { type?: ListMeetingType; maxPages?: number; pageSize?: number } = {},
): Promise<ZoomMeetingSummary[]> => {
  const maxPages = opts.maxPages ?? 50;
  const found: ZoomMeetingSummary[] = [];
  let nextPageToken: string | undefined;
  for (let page = 1; ; page++) {
    const res = await client.listMeetings({ type: opts.type ?? 'scheduled', ...(opts.pageSize ? { pageSize: opts.pageSize } : {}), ...(nextPageToken ? { nextPageToken } : {}) });
    found.push(...res.meetings.filter(matches));
    nextPageToken = res.next_page_token || undefined;
    if (!nextPageToken) return found;
    if (page >= maxPages) throw new Error(`The Zoom host has more than ${maxPages} pages of meetings; the lookup stopped`);
  }
};

// ---------------------------------------------------------------- the credentials

const secretShape = z.object({ accountId: nonEmptyString, clientId: nonEmptyString, clientSecret: nonEmptyString });

/** SecretString: JSON `{ accountId, clientId, clientSecret }`. */
export const zoomCredentialsFromSecretString = (s: string): ZoomCredentials => {
  const parsed = secretShape.safeParse(secretJson(s, 'Zoom'));
  if (!parsed.success) throw new Error(`The Zoom secret must be JSON {accountId, clientId, clientSecret}: ${issues(parsed.error, '(secret)')}`);
  return parsed.data;
};

/**
 * ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET when set; else the secret named by
 * ZOOM_SECRET_ARN, read through the secret reader's cache (./secrets.ts: rotated credentials
 * are used within minutes).
 */
export const createZoomCredentialsProvider = (load = secretReader('Zoom', zoomCredentialsFromSecretString)) =>
  secretProvider(() => {
    const source = zoomCredentialSource();
    return 'credentials' in source ? { value: source.credentials } : source;
  }, load);

export const zoomCredentials: () => Promise<ZoomCredentials> = createZoomCredentialsProvider();

// ---------------------------------------------------------------- the default client

let defaultClient: ZoomClient | undefined;
let defaultOverrides: Partial<ZoomClientOptions> = {};

const client = (): ZoomClient =>
  (defaultClient ??= createZoomClient({
    apiBaseUrl: zoomApiBaseUrl(),
    oauthUrl: zoomOauthUrl(),
    credentials: zoomCredentials,
    userId: zoomUserId(),
    ...defaultOverrides,
  }));

/**
 * Drops the default client (and its cached token): the next call builds a new one from the
 * environment, with `overrides` (tests: no real backoff waits). For tests and the local stack.
 */
export const resetZoomClient = (overrides: Partial<ZoomClientOptions> = {}): void => {
  defaultOverrides = overrides;
  defaultClient = undefined;
};

/** The client configured from the environment, created on first use; its token lives as long as the container. */
export const zoom: ZoomClient = {
  get userId() {
    return client().userId;
  },
  createMeeting: (req, opts) => client().createMeeting(req, opts),
  getMeeting: (id) => client().getMeeting(id),
  updateMeeting: (id, patch) => client().updateMeeting(id, patch),
  deleteMeeting: (id) => client().deleteMeeting(id),
  listMeetings: (opts) => client().listMeetings(opts),
  getMeetingRecordings: (id) => client().getMeetingRecordings(id),
  getUser: (ref) => client().getUser(ref),
  asUser: (userId) => client().asUser(userId),
};
