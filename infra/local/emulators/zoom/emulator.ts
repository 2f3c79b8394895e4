/**
 * A local Zoom speaking Zoom's wire format (every answer parses with shared/schemas/zoom.ts):
 * the Server-to-Server OAuth token endpoint (ZOOM_OAUTH_URL) and the meeting, user and
 * recording endpoints we call (ZOOM_API_BASE_URL, ending in /v2), and signed webhooks. Its
 * control endpoints (not Zoom's, working under faults too) are under /_emulator/ (README).
 * `{userId}` is `me` (the host) or the id or email of a user of the account. Simplified: one
 * account; a user may host overlapping meetings; meetings never start by themselves; a recording
 * exists once a test or a developer adds one. Fault `zoom`: every call answers 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { httpOrigin, listen } from '../../ports';
import { apiError, HttpAnswer, invalid, oauthError, parseJson, readText, sendJson, token } from './http';
import { createMeetings } from './meetings';
import type { EmulatedMeeting, EmulatedRecordingFile, EmulatedRequest, EmulatedUser, EmulatedUserInit } from './model';
import { createOAuth } from './oauth';
import { RATE_LIMITED_MESSAGE, userInit } from './rules';
import { createUsers } from './users';
import { createWebhooks, type WebhookDelivery, type WebhookDeliveryRecord } from './webhooks';

export type { EmulatedMeeting, EmulatedRecordingFile, EmulatedRequest, EmulatedUser, EmulatedUserInit, EmulatedUserStatus } from './model';
export type { WebhookDelivery, WebhookDeliveryRecord } from './webhooks';

export const ZOOM_FAULTS = { all: 'zoom' } as const;

export interface ZoomEmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  faults?: ReadonlySet<string>;
  /** The app's credentials the token endpoint accepts. */
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** expires_in of every token. Default 3600. */
  tokenTtlSeconds?: number;
  /** The host user. Default id `emulated-host`, email `host@example.com`. */
  hostId?: string;
  hostEmail?: string;
  /** More users of the account (e.g. the local stack's host pool). */
  users?: readonly EmulatedUserInit[];
  /** Epoch milliseconds: token expiry and `upcoming`. Default Date.now. */
  now?: () => number;
  /** One line per request; default: to stdout. `false` silences it. */
  log?: ((line: string) => void) | false;
  /** Where webhooks go (e.g. the gateway's /webhooks/zoom); without it none are sent. */
  webhookUrl?: string;
  /** The app's webhook Secret Token: signs the webhooks. */
  webhookSecretToken?: string;
  /** Per webhook delivery. Default 10 s. */
  webhookTimeoutMs?: number;
}

export interface ZoomEmulator {
  /** The API base, e.g. http://127.0.0.1:PORT/v2 (ZOOM_API_BASE_URL). */
  url: string;
  /** The token endpoint (ZOOM_OAUTH_URL). */
  oauthUrl: string;
  port: number;
  /** Live meetings by id. The objects are live: they change as the emulator works. */
  meetings: ReadonlyMap<string, EmulatedMeeting>;
  /** Deleted meetings by id. */
  deletedMeetings: ReadonlyMap<string, EmulatedMeeting>;
  /** The account's users by id (the host included). */
  users: ReadonlyMap<string, EmulatedUser>;
  /** Adds (or replaces, by email) a user of the account. */
  addUser(user: EmulatedUserInit): EmulatedUser;
  /** Every request, oldest first. */
  requests: readonly EmulatedRequest[];
  /** How many tokens were issued. */
  readonly tokensIssued: number;
  /** Attaches a finished cloud recording (video and audio) to a meeting. */
  addRecording(meetingId: string): EmulatedRecordingFile[];
  /**
   * The meeting's `recording.completed` event, as the body Zoom posts (recordings are added
   * first if it has none); the same body every time for the same meeting.
   */
  recordingCompletedBody(meetingId: string): string;
  /** What the control endpoint does: sends that event, signed, to `webhookUrl`. */
  deliverRecordingCompleted(meetingId: string): Promise<WebhookDelivery>;
  /** The webhook deliveries, oldest first. */
  webhookDeliveries: readonly WebhookDeliveryRecord[];
  /** Invalidates every token issued so far (the next API call answers 401). */
  revokeTokens(): void;
  /** The next `requests` API calls answer 429 with `Retry-After: retryAfterSeconds` (default 1). */
  rateLimit(requests: number, retryAfterSeconds?: number): void;
  /**
   * What the endpoint-validation control endpoint does: Zoom's `endpoint.url_validation` call,
   * signed, to `webhookUrl`; `validated` when the answer proves the secret token.
   */
  validateEndpoint(): Promise<WebhookDelivery & { validated: boolean }>;
  stop(): Promise<void>;
}

export const startZoomEmulator = async (opts: ZoomEmulatorOptions): Promise<ZoomEmulator> => {
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults ?? new Set<string>();
  const hostId = opts.hostId ?? 'emulated-host';
  const hostEmail = opts.hostEmail ?? 'host@example.com';
  const now = opts.now ?? Date.now;
  const log = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));

  const oauth = createOAuth({ accountId: opts.accountId, clientId: opts.clientId, clientSecret: opts.clientSecret, ttlSeconds: opts.tokenTtlSeconds ?? 3600, now });
  const { issueToken, authorize } = oauth;
  const { users, addUser, findUser, userData } = createUsers({ hostId, hostEmail, accountId: opts.accountId, now, ...(opts.users ? { users: opts.users } : {}) });
  const {
    meetings,
    deletedMeetings,
    failingTopics,
    meetingData,
    recordingsData,
    findMeeting,
    createMeeting,
    updateMeeting,
    deleteMeeting,
    listMeetings,
    recordings,
    addRecording,
  } = createMeetings({ accountId: opts.accountId, hostEmail, users, now });
  const { webhookDeliveries, recordingCompletedBody, validateEndpoint, deliverRecordingCompleted } = createWebhooks({
    accountId: opts.accountId,
    ...(opts.webhookUrl !== undefined ? { webhookUrl: opts.webhookUrl } : {}),
    ...(opts.webhookSecretToken !== undefined ? { webhookSecretToken: opts.webhookSecretToken } : {}),
    ...(opts.webhookTimeoutMs !== undefined ? { webhookTimeoutMs: opts.webhookTimeoutMs } : {}),
    now,
    log,
    findMeeting,
    addRecording,
    recordingsData,
  });
  const requests: EmulatedRequest[] = [];

  /** API calls still to refuse with 429, and the Retry-After they carry. */
  let rateLimited = { requests: 0, retryAfterSeconds: 1 };
  const rateLimit = (requests: number, retryAfterSeconds = 1) => {
    rateLimited = { requests, retryAfterSeconds };
  };

  const api = async (req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<{ status: number; body?: unknown }> => {
    authorize(req);
    const userMeetings = /^\/v2\/users\/([^/]+)\/meetings$/.exec(path);
    if (userMeetings) {
      let user: string;
      try {
        user = decodeURIComponent(userMeetings[1]!);
      } catch {
        throw apiError(404, 1001, 'User does not exist.');
      }
      const u = findUser(user);
      if (method === 'POST') return { status: 201, body: createMeeting(u, parseJson(await readText(req))) };
      if (method === 'GET') return { status: 200, body: listMeetings(u, query) };
    }
    const userPath = /^\/v2\/users\/([^/]+)$/.exec(path);
    if (userPath && method === 'GET') {
      let user: string;
      try {
        user = decodeURIComponent(userPath[1]!);
      } catch {
        throw apiError(404, 1001, 'User does not exist.');
      }
      return { status: 200, body: userData(findUser(user)) };
    }
    const meeting = /^\/v2\/meetings\/([^/]+)(\/recordings)?$/.exec(path);
    if (meeting) {
      const id = meeting[1]!;
      if (!/^\d+$/.test(id)) throw apiError(404, 3001, `Meeting does not exist: ${id}.`);
      if (meeting[2]) {
        if (method === 'GET') return { status: 200, body: recordings(id) };
      } else if (method === 'GET') {
        // The host's start link carries a short-lived token: every read mints a new one.
        const m = findMeeting(id);
        m.startUrl = `https://zoom.us/s/${id}?zak=${token(48)}`;
        return { status: 200, body: meetingData(m) };
      } else if (method === 'PATCH') {
        updateMeeting(id, parseJson(await readText(req)));
        return { status: 204 };
      } else if (method === 'DELETE') {
        deleteMeeting(id);
        return { status: 204 };
      }
    }
    throw apiError(404, 404, 'Not found');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const [path = '/', qs = ''] = (req.url ?? '/').split('?', 2);
    const query = new URLSearchParams(qs);
    res.on('finish', () => {
      requests.push({ method, path, status: res.statusCode, at: new Date().toISOString() });
      log(`zoom ${method} ${path} ${res.statusCode} ${Date.now() - started}ms`);
    });
    try {
      if (method === 'POST' && path === '/_emulator/faults/meetings') {
        const { topicContains } = parseJson(await readText(req)) as { topicContains?: unknown };
        if (typeof topicContains !== 'string' || topicContains === '') throw apiError(400, 300, 'topicContains must be a non-empty string');
        failingTopics.add(topicContains);
        res.writeHead(204);
        return void res.end();
      }
      const control = /^\/_emulator\/meetings\/(\d+)\/recording-completed$/.exec(path);
      if (control && method === 'POST') return sendJson(res, 200, await deliverRecordingCompleted(control[1]!));
      if (path === '/_emulator/endpoint-validation' && method === 'POST') return sendJson(res, 200, await validateEndpoint());
      if (path === '/_emulator/users' && method === 'POST') {
        const parsed = userInit.safeParse(parseJson(await readText(req)));
        if (!parsed.success) throw invalid(parsed.error);
        const { email, id, status } = parsed.data;
        return sendJson(res, 200, userData(addUser({ email, ...(id ? { id } : {}), ...(status ? { status } : {}) })));
      }
      if (path === '/_emulator/rate-limit' && method === 'POST') {
        const { requests, retryAfterSeconds } = parseJson(await readText(req)) as { requests?: unknown; retryAfterSeconds?: unknown };
        if (!Number.isInteger(requests) || (requests as number) < 0) throw apiError(400, 300, 'requests must be a whole number');
        if (retryAfterSeconds !== undefined && (!Number.isInteger(retryAfterSeconds) || (retryAfterSeconds as number) < 0))
          throw apiError(400, 300, 'retryAfterSeconds must be a whole number');
        rateLimit(requests as number, retryAfterSeconds as number | undefined);
        return sendJson(res, 200, rateLimited);
      }
      if (faults.has(ZOOM_FAULTS.all)) throw apiError(500, 500, 'Internal server error (emulated fault)');
      if (path === '/oauth/token') {
        if (method !== 'POST') throw oauthError(405, 'invalid_request', 'Method not allowed');
        // Zoom takes the parameters in the query string or in a form body.
        const text = await readText(req);
        const params = new URLSearchParams(query);
        for (const [k, v] of new URLSearchParams(text)) if (!params.has(k)) params.set(k, v);
        return sendJson(res, 200, issueToken(req, params));
      }
      if (path.startsWith('/v2/')) {
        if (rateLimited.requests > 0) {
          rateLimited.requests -= 1;
          const text = JSON.stringify({ code: 429, message: RATE_LIMITED_MESSAGE });
          res.writeHead(429, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text), 'retry-after': String(rateLimited.retryAfterSeconds) });
          return res.end(text);
        }
        const answer = await api(req, method, path, query);
        return sendJson(res, answer.status, answer.body);
      }
      throw apiError(404, 404, 'Not found');
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpAnswer) return sendJson(res, e.statusCode, e.body);
      log(`zoom error: ${(e as Error)?.stack ?? String(e)}`);
      sendJson(res, 500, { code: 500, message: 'Internal server error' });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const address = await listen(server, opts.port ?? 0, host, 'the Zoom emulator needs it (ZOOM_PORT)');
  const origin = httpOrigin(address);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  return {
    url: `${origin}/v2`,
    oauthUrl: `${origin}/oauth/token`,
    port: address.port,
    meetings,
    deletedMeetings,
    users,
    addUser,
    requests,
    get tokensIssued() {
      return oauth.tokensIssued;
    },
    addRecording,
    recordingCompletedBody,
    deliverRecordingCompleted,
    webhookDeliveries,
    revokeTokens: oauth.revokeTokens,
    rateLimit,
    validateEndpoint,
    stop,
  };
};
