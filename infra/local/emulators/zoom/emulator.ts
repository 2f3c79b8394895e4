/**
 * A local Zoom: the Server-to-Server OAuth token endpoint and the meeting endpoints we call,
 * speaking Zoom's wire format (every answer parses with shared/schemas/zoom.ts; the contract
 * tests check it). Point the client at it with ZOOM_API_BASE_URL (`<url>`, ending in /v2)
 * and ZOOM_OAUTH_URL (`<oauthUrl>`).
 *
 *   POST   /oauth/token?grant_type=account_credentials&account_id=…   Basic client_id:client_secret
 *   POST   /v2/users/{userId}/meetings           → 201, the meeting with join_url and start_url
 *   GET    /v2/users/{userId}/meetings           → a page (type, page_size, next_page_token)
 *   GET    /v2/meetings/{meetingId}              → the meeting, with a fresh start_url each time (Zoom's
 *                                                   start links expire; each read mints a new one)
 *   GET    /v2/users/{userId}                    → a user of the account, by id or email; 404 (1001) if none
 *   PATCH  /v2/meetings/{meetingId}              → 204
 *   DELETE /v2/meetings/{meetingId}              → 204; 404 (3001) if it is not there
 *   GET    /v2/meetings/{meetingId}/recordings   → its cloud recordings; 404 (3301) if none
 *
 * And control endpoints (not Zoom's; they work under faults too):
 *   POST   /_emulator/faults/meetings  { "topicContains": "…" }
 *          → from now on, creating a meeting whose topic contains the text answers 500 (one
 *            session's Zoom "down", while every other meeting works). 204.
 *   POST   /_emulator/meetings/{meetingId}/recording-completed
 *          → the meeting's `recording.completed` webhook, signed as Zoom signs it
 *            (x-zm-signature, x-zm-request-timestamp), POSTed once to `webhookUrl`; the
 *            meeting gets recordings first if it has none. Calling it again sends the same
 *            event again, as Zoom's retries do. Answers 200 `{ delivered, status, response }`
 *            (the webhook's answer), 404 (3001) for an unknown meeting.
 *   POST   /_emulator/endpoint-validation
 *          → Zoom's `endpoint.url_validation` call to `webhookUrl`, signed, with a fresh
 *            plainToken; answers 200 `{ validated, status, response }`: validated when the
 *            answer is 200 with that plainToken and encryptedToken = hex HMAC-SHA256 of it
 *            keyed with the webhook secret token (what Zoom checks before it enables the URL).
 *   POST   /_emulator/users   {"email": "…", "id"?: "…", "status"?: "active" | "inactive" | "pending"}
 *          → adds (or replaces) a user of the account: it may then host meetings (if active)
 *            and GET /users/{id|email} finds it. 200, the user as GET answers it.
 *   POST   /_emulator/rate-limit   {"requests": 2, "retryAfterSeconds": 3}
 *          → the next `requests` API calls (not the token endpoint) answer 429 with
 *            `Retry-After`, as Zoom does over a rate limit.
 *
 * Tokens are opaque, expire after `tokenTtlSeconds` (default 3600, like Zoom) and are
 * checked on every API call (401, code 124). `{userId}` is `me` (the app's own host), or the
 * id or email of a user of the account: the host and the seeded `users`, plus any added since.
 * Each meeting keeps its host and the `settings` it was created with.
 * Join URLs look like Zoom's (`https://zoom.us/j/<id>?pwd=…`): nothing answers there locally.
 *
 * Meeting bodies are held to Zoom's published rules (its API description and documented
 * limits: types, enums, the password's characters and length, topic and agenda lengths),
 * written here independently of our client's schemas: a body Zoom takes (a `password`,
 * `settings.audio`, fields we never send) is taken, one it refuses is refused (400, code 300).
 *
 * Deliberate simplifications: one account; a user may host overlapping meetings (Zoom would
 * refuse to start the second; our host blocks are what prevents it); meetings never start by themselves
 * (`live` lists nothing); a recording exists only once a test or a developer adds one
 * (`addRecording`, or the control endpoint).
 *
 * Faults (a Set the caller may change while running): `zoom` → every call, the token
 * endpoint included, answers 500.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, httpOrigin, listen, readBody } from '../../ports';
import { signZoomWebhook } from '../../../../shared/integrations/zoom-webhook';
import { LIST_MEETING_TYPES, ZOOM_PAGE_SIZE_MAX, type ListMeetingType } from '../../../../shared/schemas/zoom';
import * as z from '../../../../shared/schemas/zod';

export const ZOOM_FAULTS = { all: 'zoom' } as const;

// ---------------------------------------------------------------- Zoom's rules

const wholeNumber = z.number().check(z.int('must be an integer'));
/** "yyyy-MM-dd'T'HH:mm:ss'Z'" (GMT) or "yyyy-MM-dd'T'HH:mm:ss" (in `timezone`), as Zoom documents. */
const zoomStartTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?$/, "must be yyyy-MM-dd'T'HH:mm:ss[Z]"));

/** The meeting `settings` Zoom documents, typed; others ignored. */
const meetingSettings = z.looseObject({
  host_video: z.optional(z.boolean()),
  participant_video: z.optional(z.boolean()),
  cn_meeting: z.optional(z.boolean()),
  in_meeting: z.optional(z.boolean()),
  join_before_host: z.optional(z.boolean()),
  // "0: anytime; 5, 10 or 15: that many minutes before the start time" (with join_before_host).
  jbh_time: z.optional(z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(15)])),
  mute_upon_entry: z.optional(z.boolean()),
  watermark: z.optional(z.boolean()),
  use_pmi: z.optional(z.boolean()),
  approval_type: z.optional(z.union([z.literal(0), z.literal(1), z.literal(2)])),
  registration_type: z.optional(z.union([z.literal(1), z.literal(2), z.literal(3)])),
  audio: z.optional(z.enum(['both', 'telephony', 'voip'])),
  auto_recording: z.optional(z.enum(['local', 'cloud', 'none'])),
  enforce_login: z.optional(z.boolean()),
  enforce_login_domains: z.optional(z.string()),
  alternative_hosts: z.optional(z.string()),
  close_registration: z.optional(z.boolean()),
  waiting_room: z.optional(z.boolean()),
  registrants_confirmation_email: z.optional(z.boolean()),
});

/** POST /users/{userId}/meetings and PATCH /meetings/{meetingId}: nothing required, unknown fields ignored. */
const meetingBody = z.looseObject({
  schedule_for: z.optional(z.string()),
  topic: z.optional(z.string().check(z.maxLength(200))),
  type: z.optional(z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(8)])),
  start_time: z.optional(zoomStartTime),
  duration: z.optional(wholeNumber.check(z.positive())),
  timezone: z.optional(z.string()),
  // "Password may only contain the following characters: [a-z A-Z 0-9 @ - _ *]. Max of 10 characters."
  password: z.optional(z.string().check(z.regex(/^[a-zA-Z0-9@\-_*]{1,10}$/, 'only a-z A-Z 0-9 @ - _ *, at most 10 characters'))),
  agenda: z.optional(z.string().check(z.maxLength(2000))),
  tracking_fields: z.optional(z.array(z.looseObject({ field: z.string(), value: z.optional(z.string()) }))),
  recurrence: z.optional(z.record(z.string(), z.unknown())),
  settings: z.optional(meetingSettings),
});

/** The error Zoom answers over a rate limit. */
const RATE_LIMITED_MESSAGE = 'You have reached the maximum per-second rate limit for this API. Try again later.';

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

export interface WebhookDelivery {
  delivered: boolean;
  /** The HTTP status of the answer, or why there was none. */
  status: number | string;
  /** The answer's body (JSON when it was JSON). */
  response?: unknown;
}

export interface EmulatedRecordingFile {
  id: string;
  meetingUuid: string;
  recordingStart: string;
  recordingEnd: string;
  fileType: string;
  fileExtension: string;
  fileSize: number;
  playUrl: string;
  downloadUrl: string;
  status: string;
  recordingType: string;
}

export type EmulatedUserStatus = 'active' | 'inactive' | 'pending';

export interface EmulatedUserInit {
  email: string;
  /** Default: derived from the email. */
  id?: string;
  /** Default active. */
  status?: EmulatedUserStatus;
}

export interface EmulatedUser {
  id: string;
  email: string;
  status: EmulatedUserStatus;
  firstName: string;
  lastName: string;
  createdAt: string;
}

export interface EmulatedMeeting {
  /** The meeting number, as digits. */
  id: string;
  uuid: string;
  hostId: string;
  topic: string;
  type: number;
  startTime: string;
  duration: number;
  timezone: string;
  agenda: string;
  createdAt: string;
  password: string;
  joinUrl: string;
  startUrl: string;
  settings: Record<string, unknown>;
  recordings: EmulatedRecordingFile[];
}

export interface EmulatedRequest {
  method: string;
  path: string;
  status: number;
  at: string;
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
  webhookDeliveries: readonly ({ event: string; meetingId: string; at: string } & WebhookDelivery)[];
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

const MAX_BODY_BYTES = 1024 * 1024;
const ACCOUNT_SCOPES = 'meeting:read:admin meeting:write:admin recording:read:admin user:read:admin';

class HttpAnswer extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Zoom's error code; the token endpoint's errors are `{ reason, error }` instead. */
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

const apiError = (status: number, code: number, message: string) => new HttpAnswer(status, message, { code, message });
const oauthError = (status: number, error: string, reason: string) => new HttpAnswer(status, reason, { reason, error });

const readText = async (req: IncomingMessage): Promise<string> => {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? apiError(413, 300, 'Request body too large') : e;
  }
};

const token = (bytes: number) => randomBytes(bytes).toString('base64url');

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Zoom user ids look like `KDcuGIm1QgePTO8WbOqwIQ`: 22 url-safe characters. This one is stable per email. */
const userIdFor = (email: string) => createHmac('sha256', 'zoom-emulator-user').update(email.toLowerCase()).digest('base64url').slice(0, 22);

const userInit = z.strictObject({
  email: z.email(),
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  status: z.optional(z.enum(['active', 'inactive', 'pending'])),
});

export const startZoomEmulator = async (opts: ZoomEmulatorOptions): Promise<ZoomEmulator> => {
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults ?? new Set<string>();
  /** Meetings whose topic contains one of these fail to be created (POST /_emulator/faults/meetings). */
  const failingTopics = new Set<string>();
  const ttlSeconds = opts.tokenTtlSeconds ?? 3600;
  const hostId = opts.hostId ?? 'emulated-host';
  const hostEmail = opts.hostEmail ?? 'host@example.com';
  const now = opts.now ?? Date.now;
  const log = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));

  const tokens = new Map<string, number>();
  const users = new Map<string, EmulatedUser>();
  const addUser = (init: EmulatedUserInit): EmulatedUser => {
    for (const [id, u] of users) if (u.email.toLowerCase() === init.email.toLowerCase() && id !== hostId) users.delete(id);
    const [first = init.email, last = ''] = init.email.split('@')[0]!.split(/[._-]/, 2);
    const user: EmulatedUser = {
      id: init.id ?? userIdFor(init.email),
      email: init.email,
      status: init.status ?? 'active',
      firstName: first,
      lastName: last,
      createdAt: utc(now()),
    };
    users.set(user.id, user);
    return user;
  };
  users.set(hostId, { id: hostId, email: hostEmail, status: 'active', firstName: 'Emulated', lastName: 'Host', createdAt: utc(now()) });
  for (const u of opts.users ?? []) addUser(u);
  const meetings = new Map<string, EmulatedMeeting>();
  const deletedMeetings = new Map<string, EmulatedMeeting>();
  const requests: EmulatedRequest[] = [];
  const webhookDeliveries: ZoomEmulator['webhookDeliveries'][number][] = [];
  /** The recording.completed body sent per meeting: a second delivery resends it. */
  const recordingEvents = new Map<string, string>();
  let tokensIssued = 0;
  let nextId = 81_000_000_000 + Math.floor(Math.random() * 900_000_000);

  // ---------------------------------------------------------------- wire shapes

  const meetingData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    // Zoom documents a string and sends an integer.
    id: Number(m.id),
    host_id: m.hostId,
    host_email: users.get(m.hostId)?.email ?? hostEmail,
    assistant_id: '',
    topic: m.topic,
    type: m.type,
    status: 'waiting',
    start_time: m.startTime,
    duration: m.duration,
    timezone: m.timezone,
    agenda: m.agenda,
    created_at: m.createdAt,
    start_url: m.startUrl,
    join_url: m.joinUrl,
    password: m.password,
    h323_password: m.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    pstn_password: m.password.replace(/\D/g, '').padEnd(6, '0').slice(0, 6),
    encrypted_password: m.joinUrl.split('pwd=')[1] ?? '',
    settings: m.settings,
    pre_schedule: false,
  });

  const summaryData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    id: Number(m.id),
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    duration: m.duration,
    timezone: m.timezone,
    created_at: m.createdAt,
    join_url: m.joinUrl,
  });

  const recordingsData = (m: EmulatedMeeting) => ({
    uuid: m.uuid,
    id: Number(m.id),
    account_id: opts.accountId,
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    start_time: m.startTime,
    timezone: m.timezone,
    duration: m.duration,
    total_size: m.recordings.reduce((sum, r) => sum + r.fileSize, 0),
    recording_count: m.recordings.length,
    share_url: `https://zoom.us/rec/share/${token(24)}`,
    password: m.password,
    recording_play_passcode: token(24),
    recording_files: m.recordings.map((r) => ({
      id: r.id,
      meeting_id: r.meetingUuid,
      recording_start: r.recordingStart,
      recording_end: r.recordingEnd,
      file_type: r.fileType,
      file_extension: r.fileExtension,
      file_size: r.fileSize,
      play_url: r.playUrl,
      download_url: r.downloadUrl,
      status: r.status,
      recording_type: r.recordingType,
    })),
  });

  // ---------------------------------------------------------------- OAuth

  const issueToken = (req: IncomingMessage, params: URLSearchParams) => {
    if (params.get('grant_type') !== 'account_credentials') throw oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth)?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [clientId, clientSecret] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (!sameSecret(clientId, opts.clientId) || !sameSecret(clientSecret, opts.clientSecret)) throw oauthError(401, 'invalid_client', 'Invalid client_id or client_secret');
    if (params.get('account_id') !== opts.accountId) throw oauthError(400, 'invalid_request', 'Invalid account_id');
    const accessToken = `emu.${token(32)}`;
    tokens.set(accessToken, now() + ttlSeconds * 1000);
    tokensIssued += 1;
    return { access_token: accessToken, token_type: 'bearer', expires_in: ttlSeconds, scope: ACCOUNT_SCOPES, api_url: 'https://api.zoom.us' };
  };

  const authorize = (req: IncomingMessage) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? tokens.get(bearer) : undefined;
    if (expiresAt === undefined) throw apiError(401, 124, 'Invalid access token.');
    if (now() >= expiresAt) throw apiError(401, 124, 'Access token is expired.');
  };

  // ---------------------------------------------------------------- meetings

  const parseJson = (text: string): unknown => {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw apiError(400, 300, 'Request Body should be a valid JSON object.');
    }
  };

  const invalid = (error: { issues: { path: PropertyKey[]; message: string }[] }) => {
    const issue = error.issues[0]!;
    return apiError(400, 300, `Validation Failed. ${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
  };

  const findUser = (userId: string): EmulatedUser => {
    const u = userId === 'me' ? users.get(hostId) : (users.get(userId) ?? [...users.values()].find((x) => x.email.toLowerCase() === userId.toLowerCase()));
    if (!u) throw apiError(404, 1001, `User does not exist: ${userId}.`);
    return u;
  };

  const userData = (u: EmulatedUser) => ({
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    display_name: `${u.firstName} ${u.lastName}`.trim(),
    email: u.email,
    type: 2,
    role_name: 'Member',
    pmi: 0,
    use_pmi: false,
    timezone: 'UTC',
    verified: 1,
    dept: '',
    created_at: u.createdAt,
    last_login_time: u.createdAt,
    language: 'en-US',
    status: u.status,
    role_id: '2',
    account_id: opts.accountId,
    account_number: 1,
    cluster: 'us06',
    user_created_at: u.createdAt,
  });

  const findMeeting = (meetingId: string): EmulatedMeeting => {
    const m = meetings.get(meetingId);
    if (!m) throw apiError(404, 3001, `Meeting does not exist: ${meetingId}.`);
    return m;
  };

  const createMeeting = (host: EmulatedUser, body: unknown) => {
    const parsed = meetingBody.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const req = parsed.data;
    if ([...failingTopics].some((t) => (req.topic ?? '').includes(t))) throw apiError(500, 500, 'Internal server error (emulated fault)');
    if (host.status !== 'active') throw apiError(400, 1001, `User ${host.email} is not active.`);
    const id = String(nextId++);
    const password =
      req.password ??
      token(6)
        .replace(/[^A-Za-z0-9]/g, 'x')
        .slice(0, 6);
    const settings = req.settings ?? {};
    const m: EmulatedMeeting = {
      id,
      uuid: randomBytes(16).toString('base64'),
      hostId: host.id,
      // Zoom's defaults for what is left out.
      topic: req.topic ?? 'Zoom Meeting',
      type: req.type ?? 2,
      startTime: req.start_time ?? utc(now()),
      duration: req.duration ?? 60,
      timezone: req.timezone ?? 'UTC',
      agenda: req.agenda ?? '',
      createdAt: utc(now()),
      password,
      joinUrl: `https://zoom.us/j/${id}?pwd=${token(24)}`,
      startUrl: `https://zoom.us/s/${id}?zak=${token(48)}`,
      settings: {
        host_video: false,
        participant_video: false,
        join_before_host: false,
        mute_upon_entry: false,
        waiting_room: false,
        auto_recording: 'none',
        approval_type: 2,
        audio: 'both',
        use_pmi: false,
        watermark: false,
        ...settings,
      },
      recordings: [],
    };
    meetings.set(id, m);
    return meetingData(m);
  };

  const updateMeeting = (meetingId: string, body: unknown) => {
    const m = findMeeting(meetingId);
    const parsed = meetingBody.safeParse(body);
    if (!parsed.success) throw invalid(parsed.error);
    const patch = parsed.data;
    if (patch.topic !== undefined) m.topic = patch.topic;
    if (patch.type !== undefined) m.type = patch.type;
    if (patch.password !== undefined) m.password = patch.password;
    if (patch.start_time !== undefined) m.startTime = patch.start_time;
    if (patch.duration !== undefined) m.duration = patch.duration;
    if (patch.timezone !== undefined) m.timezone = patch.timezone;
    if (patch.agenda !== undefined) m.agenda = patch.agenda;
    if (patch.settings) Object.assign(m.settings, patch.settings);
  };

  const deleteMeeting = (meetingId: string) => {
    const m = findMeeting(meetingId);
    meetings.delete(meetingId);
    deletedMeetings.set(meetingId, m);
  };

  const listMeetings = (host: EmulatedUser, query: URLSearchParams) => {
    const type = (query.get('type') ?? 'live') as ListMeetingType;
    if (!(LIST_MEETING_TYPES as readonly string[]).includes(type)) throw apiError(400, 300, `Invalid field: type.`);
    const rawSize = Number(query.get('page_size') ?? 30);
    if (!Number.isInteger(rawSize) || rawSize < 1) throw apiError(400, 300, 'Invalid field: page_size.');
    const pageSize = Math.min(rawSize, ZOOM_PAGE_SIZE_MAX);
    const t = now();
    const all = [...meetings.values()]
      .filter((m) => m.hostId === host.id)
      .filter((m) => (type === 'live' ? false : type === 'upcoming' ? Date.parse(m.startTime) + m.duration * 60_000 >= t : true))
      .sort((a, b) => a.startTime.localeCompare(b.startTime) || a.id.localeCompare(b.id));
    const tokenParam = query.get('next_page_token');
    let offset = 0;
    if (tokenParam) {
      offset = Number(
        Buffer.from(tokenParam, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isInteger(offset) || offset < 0) throw apiError(400, 300, 'Invalid field: next_page_token.');
    } else if (query.get('page_number')) {
      offset = (Math.max(1, Number(query.get('page_number')) || 1) - 1) * pageSize;
    }
    const page = all.slice(offset, offset + pageSize);
    const more = offset + pageSize < all.length;
    return {
      page_count: Math.ceil(all.length / pageSize),
      page_number: Math.floor(offset / pageSize) + 1,
      page_size: pageSize,
      total_records: all.length,
      next_page_token: more ? Buffer.from(`offset:${offset + pageSize}`, 'utf8').toString('base64url') : '',
      meetings: page.map(summaryData),
    };
  };

  const recordings = (meetingId: string) => {
    const m = meetings.get(meetingId);
    if (!m || m.recordings.length === 0) throw apiError(404, 3301, 'This recording does not exist.');
    return recordingsData(m);
  };

  const addRecording = (meetingId: string): EmulatedRecordingFile[] => {
    const m = meetings.get(meetingId);
    if (!m) throw new Error(`Unknown meeting ${meetingId}`);
    const start = Date.parse(m.startTime);
    const end = start + m.duration * 60_000;
    const file = (fileType: string, fileExtension: string, recordingType: string, fileSize: number): EmulatedRecordingFile => {
      const id = token(16);
      return {
        id,
        meetingUuid: m.uuid,
        recordingStart: utc(start),
        recordingEnd: utc(end),
        fileType,
        fileExtension,
        fileSize,
        playUrl: `https://zoom.us/rec/play/${token(32)}`,
        downloadUrl: `https://zoom.us/rec/download/${token(32)}`,
        status: 'completed',
        recordingType,
      };
    };
    const files = [file('MP4', 'MP4', 'shared_screen_with_speaker_view', 48_512_000), file('M4A', 'M4A', 'audio_only', 6_120_000)];
    m.recordings.push(...files);
    return files;
  };

  // ---------------------------------------------------------------- webhooks

  const postWebhook = async (body: string): Promise<WebhookDelivery> => {
    if (!opts.webhookUrl || !opts.webhookSecretToken) return { delivered: false, status: 'no webhookUrl or webhookSecretToken configured' };
    const timestamp = String(Math.floor(now() / 1000));
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Zoom Marketplace/1.0a',
          'x-zm-request-timestamp': timestamp,
          'x-zm-signature': signZoomWebhook(timestamp, body, opts.webhookSecretToken),
        },
        body,
        signal: AbortSignal.timeout(opts.webhookTimeoutMs ?? 10_000),
      });
      const text = await res.text();
      let response: unknown = text;
      try {
        response = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { delivered: res.status === 200, status: res.status, response };
    } catch (e) {
      return { delivered: false, status: (e as Error)?.message ?? String(e) };
    }
  };

  const recordingCompletedBody = (meetingId: string): string => {
    let body = recordingEvents.get(meetingId);
    if (!body) {
      const m = findMeeting(meetingId);
      if (m.recordings.length === 0) addRecording(meetingId);
      // Zoom's event: the same object GET /meetings/{id}/recordings answers, and a download token.
      body = JSON.stringify({ event: 'recording.completed', event_ts: now(), payload: { account_id: opts.accountId, object: recordingsData(m) }, download_token: token(48) });
      recordingEvents.set(meetingId, body);
    }
    return body;
  };

  const validateEndpoint = async (): Promise<WebhookDelivery & { validated: boolean }> => {
    const plainToken = token(16);
    const delivery = await postWebhook(JSON.stringify({ payload: { plainToken }, event_ts: now(), event: 'endpoint.url_validation' }));
    const answer = delivery.response as { plainToken?: unknown; encryptedToken?: unknown } | undefined;
    const expected = opts.webhookSecretToken ? createHmac('sha256', opts.webhookSecretToken).update(plainToken).digest('hex') : undefined;
    const validated = delivery.status === 200 && answer?.plainToken === plainToken && expected !== undefined && answer?.encryptedToken === expected;
    log(`zoom webhook endpoint.url_validation → ${delivery.status}${validated ? ' validated' : ' NOT validated'}`);
    return { ...delivery, validated };
  };

  /** API calls still to refuse with 429, and the Retry-After they carry. */
  let rateLimited = { requests: 0, retryAfterSeconds: 1 };
  const rateLimit = (requests: number, retryAfterSeconds = 1) => {
    rateLimited = { requests, retryAfterSeconds };
  };

  const deliverRecordingCompleted = async (meetingId: string): Promise<WebhookDelivery> => {
    const delivery = await postWebhook(recordingCompletedBody(meetingId));
    webhookDeliveries.push({ event: 'recording.completed', meetingId, at: new Date().toISOString(), ...delivery });
    log(`zoom webhook recording.completed ${meetingId} → ${delivery.status}`);
    return delivery;
  };

  // ---------------------------------------------------------------- HTTP

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    if (body === undefined) {
      res.writeHead(status, { 'content-length': 0 });
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
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
      return tokensIssued;
    },
    addRecording,
    recordingCompletedBody,
    deliverRecordingCompleted,
    webhookDeliveries,
    revokeTokens: () => tokens.clear(),
    rateLimit,
    validateEndpoint,
    stop,
  };
};

// ---------------------------------------------------------------- the local stack

/** The local stack's Zoom app (not secrets: they only open the emulator). */
export const LOCAL_ZOOM_CREDENTIALS = { accountId: 'local-account', clientId: 'local-client-id', clientSecret: 'local-client-secret' } as const;

/**
 * The local stack's pool of host users (ZOOM_HOST_USERS unless set): licensed users of the
 * emulated account. Enough that the end-to-end tests' overlapping sessions all get a host.
 */
export const LOCAL_ZOOM_HOST_USERS = ['host1', 'host2', 'host3', 'host4', 'host5', 'host6'].map((h) => `${h}@zoom.mentorship.localhost`);

/** The local stack's webhook Secret Token, unless ZOOM_WEBHOOK_SECRET_TOKEN names another. Not a secret. */
export const LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN = 'zoom_webhook_local';

export interface LocalZoomOptions {
  /** Default 0 (a free port: nothing outside the stack needs to know it). */
  port?: number;
  host?: string;
  /** e.g. localFaults() of infra/local/start.ts: `zoom` makes every call fail. */
  faults?: ReadonlySet<string>;
  log?: ((line: string) => void) | false;
  /** Where the emulator delivers webhooks: the gateway's /webhooks/zoom. */
  webhookUrl?: string;
}

/**
 * For `npm start`: the Zoom emulator, unless real credentials are configured (ZOOM_ACCOUNT_ID,
 * ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET other than the local ones): then the handlers talk to
 * Zoom itself and this returns undefined. Otherwise it sets ZOOM_API_BASE_URL,
 * ZOOM_OAUTH_URL and the local credentials for the in-process handlers,
 * ZOOM_WEBHOOK_SECRET_TOKEN (default `zoom_webhook_local`), with which it signs its webhooks,
 * and ZOOM_HOST_USERS (default: the seeded LOCAL_ZOOM_HOST_USERS).
 */
export const startLocalZoom = async (opts: LocalZoomOptions = {}): Promise<ZoomEmulator | undefined> => {
  const { ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET } = process.env;
  if (ZOOM_ACCOUNT_ID && ZOOM_CLIENT_ID && ZOOM_CLIENT_SECRET && ZOOM_CLIENT_SECRET !== LOCAL_ZOOM_CREDENTIALS.clientSecret) return undefined;
  const webhookSecretToken = process.env.ZOOM_WEBHOOK_SECRET_TOKEN || LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN;
  const emulator = await startZoomEmulator({
    ...LOCAL_ZOOM_CREDENTIALS,
    users: LOCAL_ZOOM_HOST_USERS.map((email) => ({ email })),
    webhookSecretToken,
    ...(opts.webhookUrl !== undefined ? { webhookUrl: opts.webhookUrl } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    log: opts.log ?? ((line) => process.stdout.write(`[zoom] ${line}\n`)),
  });
  Object.assign(process.env, {
    ZOOM_API_BASE_URL: emulator.url,
    ZOOM_OAUTH_URL: emulator.oauthUrl,
    ZOOM_ACCOUNT_ID: LOCAL_ZOOM_CREDENTIALS.accountId,
    ZOOM_CLIENT_ID: LOCAL_ZOOM_CREDENTIALS.clientId,
    ZOOM_CLIENT_SECRET: LOCAL_ZOOM_CREDENTIALS.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: webhookSecretToken,
    ZOOM_HOST_USERS: process.env.ZOOM_HOST_USERS || LOCAL_ZOOM_HOST_USERS.join(','),
  });
  return emulator;
};
