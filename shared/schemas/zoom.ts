/**
 * Zoom's wire format, as far as we use it: what we send is strict (a typo is a bug here, not
 * a 400 from Zoom), what we read is loose (Zoom adds fields freely) but typed for the fields
 * we act on. Written from Zoom's API v2 reference (meetings, cloud recordings) and its
 * Server-to-Server OAuth documentation; the local emulator (infra/local/emulators/zoom/)
 * answers with exactly these shapes and the contract tests hold both to them.
 */
import { allOf, integer, nonEmptyString } from './primitives';
import * as z from './zod';

// ---------------------------------------------------------------- limits and building blocks

/** Zoom: "topic … Maximum of 200 characters." */
export const ZOOM_TOPIC_MAX = 200;
/** Zoom: "agenda … Maximum of 2,000 characters." */
export const ZOOM_AGENDA_MAX = 2000;
/** A scheduled meeting's duration in minutes; Zoom takes any positive integer, we never book more than a day. */
export const ZOOM_DURATION_MAX = 1440;
/** GET /users/{userId}/meetings: `page_size` maximum. */
export const ZOOM_PAGE_SIZE_MAX = 300;

/** A meeting id ("meeting number") in a path: digits only, so it can never change the path. */
export const zoomMeetingId = z.string().check(z.regex(/^[1-9]\d{0,19}$/, 'Must be a Zoom meeting id (digits)'));

/**
 * Zoom documents `id` as a string but sends an integer (int64; today's meeting numbers have
 * 9–11 digits, well inside a double's exact range). Either way we carry it as a digit string.
 */
export const wireMeetingId = z.pipe(
  z.union([integer(z.nonnegative(), z.refine(Number.isSafeInteger, 'Meeting id out of range')), z.string().check(z.regex(/^\d+$/))]),
  z.transform(String),
);

/**
 * `start_time` as we send it: `yyyy-MM-dd'T'HH:mm:ss'Z'`, which Zoom reads as UTC whatever the
 * host's time zone (without the `Z` it would read it in the `timezone` field's zone).
 */
export const zoomUtcTime = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'Must be UTC as yyyy-MM-ddTHH:mm:ssZ'));

/** An instant in the format Zoom wants: whole seconds, UTC, with `Z`. */
export const toZoomTime = (at: Date | string): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Sizes and counts Zoom documents as strings but usually sends as numbers: either, read as a number. */
const lenientNumber = z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d+(\.\d+)?$/)), z.transform(Number))]);

/** A link participants (or the host) open: http(s) only. */
const webUrl = z.url({ protocol: /^https?$/ });

/** Every API error: `{ code, message }` (e.g. 3001 "Meeting does not exist", 124 "Invalid access token"). */
export const zoomErrorBody = z.looseObject({ code: z.optional(z.union([z.number(), z.string()])), message: z.string() });
export type ZoomErrorBody = z.output<typeof zoomErrorBody>;

// ---------------------------------------------------------------- POST https://zoom.us/oauth/token

/** `grant_type=account_credentials`: a bearer token for the whole account, usually for an hour. */
export const tokenResponse = z.looseObject({
  access_token: nonEmptyString,
  token_type: z.string().check(z.refine((t) => t.toLowerCase() === 'bearer', 'Must be a bearer token')),
  expires_in: integer(z.positive()),
  scope: z.optional(z.string()),
  api_url: z.optional(z.string()),
});
export type TokenResponse = z.output<typeof tokenResponse>;

/** The OAuth endpoint's errors: `{ reason, error }` (e.g. `invalid_client`). */
export const tokenErrorBody = z.looseObject({ reason: z.optional(z.string()), error: z.optional(z.string()) });

// ---------------------------------------------------------------- meetings: what we send

export const AUTO_RECORDING = ['local', 'cloud', 'none'] as const;

/** How long before the start participants may join without the host: 0 any time, else minutes. */
export const JBH_TIMES = [0, 5, 10, 15] as const;

export const meetingSettingsRequest = z.strictObject({
  host_video: z.boolean(),
  participant_video: z.optional(z.boolean()),
  join_before_host: z.boolean(),
  jbh_time: z.optional(z.union([z.literal(0), z.literal(5), z.literal(10), z.literal(15)])),
  waiting_room: z.boolean(),
  mute_upon_entry: z.optional(z.boolean()),
  auto_recording: z.enum(AUTO_RECORDING),
  /** 2: no registration required. */
  approval_type: z.optional(z.union([z.literal(0), z.literal(1), z.literal(2)])),
});

const topic = z.string().check(z.minLength(1), z.maxLength(ZOOM_TOPIC_MAX));
const duration = integer(z.minimum(1), z.maximum(ZOOM_DURATION_MAX));
const timezone = z.string().check(z.minLength(1), z.maxLength(64));
const agenda = z.string().check(z.maxLength(ZOOM_AGENDA_MAX));

/** POST /users/{userId}/meetings: one scheduled meeting (type 2) at a UTC start time. */
export const createMeetingRequest = z.strictObject({
  topic,
  type: z.literal(2),
  start_time: zoomUtcTime,
  duration,
  timezone: z.optional(timezone),
  agenda: z.optional(agenda),
  settings: meetingSettingsRequest,
});
export type CreateMeetingRequest = z.input<typeof createMeetingRequest>;

/** PATCH /meetings/{meetingId}: what a reschedule (or a renamed session) changes; at least one field. */
export const updateMeetingRequest = z
  .strictObject({
    topic: z.optional(topic),
    start_time: z.optional(zoomUtcTime),
    duration: z.optional(duration),
    timezone: z.optional(timezone),
    agenda: z.optional(agenda),
    settings: z.optional(z.partial(meetingSettingsRequest)),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, 'Change at least one field'));
export type UpdateMeetingRequest = z.input<typeof updateMeetingRequest>;

export const LIST_MEETING_TYPES = ['scheduled', 'live', 'upcoming'] as const;
export type ListMeetingType = (typeof LIST_MEETING_TYPES)[number];

// ---------------------------------------------------------------- meetings: what Zoom answers

/** POST /users/{userId}/meetings (201) and GET /meetings/{meetingId} (200). */
export const zoomMeeting = z.looseObject({
  id: wireMeetingId,
  uuid: nonEmptyString,
  host_id: z.optional(z.string()),
  topic: z.string(),
  type: integer(),
  status: z.optional(z.string()),
  start_time: z.optional(z.string()),
  duration: z.optional(integer()),
  timezone: z.optional(z.string()),
  agenda: z.optional(z.string()),
  created_at: z.optional(z.string()),
  /** The host's link: starts the meeting as its host, no sign-in needed. Never for participants. */
  start_url: webUrl,
  join_url: webUrl,
  password: z.optional(z.string()),
  settings: z.optional(
    z.looseObject({ auto_recording: z.optional(z.string()), waiting_room: z.optional(z.boolean()), join_before_host: z.optional(z.boolean()), jbh_time: z.optional(integer()) }),
  ),
});
export type ZoomMeeting = z.output<typeof zoomMeeting>;

/** One meeting in a list: no start_url, no agenda. */
export const zoomMeetingSummary = z.looseObject({
  id: wireMeetingId,
  uuid: nonEmptyString,
  host_id: z.optional(z.string()),
  topic: z.string(),
  type: integer(),
  start_time: z.optional(z.string()),
  duration: z.optional(integer()),
  timezone: z.optional(z.string()),
  created_at: z.optional(z.string()),
  join_url: webUrl,
});
export type ZoomMeetingSummary = z.output<typeof zoomMeetingSummary>;

/** GET /users/{userId}/meetings: a page; `next_page_token` is empty or absent on the last one. */
export const meetingListResponse = z.looseObject({
  page_count: z.optional(integer()),
  page_number: z.optional(integer()),
  page_size: integer(),
  total_records: integer(),
  next_page_token: z.optional(z.string()),
  meetings: z.array(zoomMeetingSummary),
});
export type MeetingListResponse = z.output<typeof meetingListResponse>;

// ---------------------------------------------------------------- GET /users/{userId}

/** A user id or email in a path: never a path separator, a query or a fragment. */
export const zoomUserRef = z.string().check(z.regex(/^[A-Za-z0-9._@+-]{1,128}$/, 'Must be a Zoom user id or email'));

/** `status`: `active`, `inactive` (deactivated) or `pending` (invited, not yet signed up). Only an active user hosts. */
export const zoomUser = z.looseObject({
  id: nonEmptyString,
  email: z.string(),
  type: z.optional(integer()),
  status: z.optional(z.string()),
  account_id: z.optional(z.string()),
  first_name: z.optional(z.string()),
  last_name: z.optional(z.string()),
});
export type ZoomUser = z.output<typeof zoomUser>;

// ---------------------------------------------------------------- GET /meetings/{meetingId}/recordings

export const recordingFile = z.looseObject({
  id: z.optional(z.string()),
  meeting_id: z.optional(z.string()),
  recording_start: z.optional(z.string()),
  recording_end: z.optional(z.string()),
  /** MP4, M4A, CHAT, TRANSCRIPT, … */
  file_type: z.optional(z.string()),
  file_extension: z.optional(z.string()),
  file_size: z.optional(lenientNumber),
  /** Opens Zoom's web player (the recording's passcode may be asked for). http(s) only: participants open it. */
  play_url: z.optional(webUrl),
  /** Needs a Zoom access token (`Authorization: Bearer …` or `?access_token=`) unless the account allows public downloads. */
  download_url: z.optional(webUrl),
  status: z.optional(z.string()),
  recording_type: z.optional(z.string()),
});
export type RecordingFile = z.output<typeof recordingFile>;

/** The meeting's last instance's cloud recordings; Zoom answers 404 (code 3301) when there are none. */
export const recordingsResponse = z.looseObject({
  uuid: z.string(),
  id: wireMeetingId,
  account_id: z.optional(z.string()),
  host_id: z.optional(z.string()),
  topic: z.optional(z.string()),
  start_time: z.optional(z.string()),
  duration: z.optional(integer()),
  total_size: z.optional(lenientNumber),
  recording_count: z.optional(lenientNumber),
  share_url: z.optional(z.url()),
  password: z.optional(z.string()),
  recording_files: z._default(z.array(recordingFile), []),
});
export type RecordingsResponse = z.output<typeof recordingsResponse>;

// ---------------------------------------------------------------- webhooks (POST /webhooks/zoom)

/**
 * Every event Zoom posts: `{ event, event_ts, payload }`. Loose throughout: Zoom adds fields
 * to its events freely, and an event we do not handle is answered 200 and ignored.
 */
export const zoomWebhookEnvelope = z.looseObject({
  event: z.string().check(z.minLength(1), z.maxLength(100)),
  /** Epoch milliseconds. */
  event_ts: z.optional(integer(z.nonnegative())),
  payload: z.unknown(),
});
export type ZoomWebhookEnvelope = z.output<typeof zoomWebhookEnvelope>;

/** Sent when the endpoint URL is saved (and every 72 hours): answer `{ plainToken, encryptedToken }`. */
export const zoomUrlValidationPayload = z.looseObject({ plainToken: z.string().check(z.minLength(1), z.maxLength(1024)) });

/**
 * `recording.completed`: one meeting instance's cloud recordings are ready. `object.id` is the
 * meeting number (the same for every instance), `object.uuid` names the instance.
 */
export const zoomRecordingCompletedEvent = z.looseObject({
  event: z.literal('recording.completed'),
  event_ts: z.optional(integer(z.nonnegative())),
  /** Lets a download skip OAuth for 24 hours; we never store it. */
  download_token: z.optional(z.string()),
  payload: z.looseObject({
    account_id: z.optional(z.string()),
    object: z.looseObject({
      id: wireMeetingId,
      /** Base64 (Zoom double-encodes it in URLs when it holds `/`); it becomes part of a key. */
      uuid: z.string().check(z.regex(/^[A-Za-z0-9+/=_-]{1,200}$/, 'Must be a Zoom meeting uuid')),
      host_id: z.optional(z.string()),
      topic: z.optional(z.string()),
      start_time: z.optional(z.string()),
      duration: z.optional(integer()),
      share_url: z.optional(z.url()),
      password: z.optional(z.string()),
      recording_play_passcode: z.optional(z.string()),
      recording_files: z._default(z.array(recordingFile).check(z.maxLength(100)), []),
    }),
  }),
});
export type ZoomRecordingCompletedEvent = z.output<typeof zoomRecordingCompletedEvent>;

// ---------------------------------------------------------------- our answer

/** What a recording.completed came to; `unknown-meeting`: not a meeting of ours (or no longer the session's), nothing stored. */
export type RecordingOutcome = 'stored' | 'duplicate' | 'unknown-meeting';

const RECORDING_OUTCOMES = allOf<RecordingOutcome | 'ignored'>({ stored: true, duplicate: true, 'unknown-meeting': true, ignored: true });

/** POST /webhooks/zoom: the URL validation's answer, or what the event came to. */
export const zoomWebhookResponse = z.union([
  z.strictObject({ plainToken: z.string(), encryptedToken: z.string().check(z.describe('HMAC-SHA256 of plainToken with the webhook secret token, hex')) }),
  z.strictObject({ received: z.literal(true), outcome: z.enum(RECORDING_OUTCOMES) }),
]);
