/**
 * Zoom's wire format, as far as we use it: what we send is strict (a typo is a bug here, not
 * a 400 from Zoom), what we read is loose (Zoom adds fields freely) but typed for the fields
 * we act on. Written from Zoom's API v2 reference (meetings, cloud recordings) and its
 * Server-to-Server OAuth documentation; the local emulator (infra/local/zoom-emulator.ts)
 * answers with exactly these shapes and the contract tests hold both to them.
 */
import * as z from 'zod';

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
export const zoomMeetingId = z.string().regex(/^[1-9]\d{0,19}$/, 'Must be a Zoom meeting id (digits)');

/**
 * Zoom documents `id` as a string but sends an integer (int64; today's meeting numbers have
 * 9–11 digits, well inside a double's exact range). Either way we carry it as a digit string.
 */
export const wireMeetingId = z.union([z.number().int().nonnegative().refine(Number.isSafeInteger, 'Meeting id out of range'), z.string().regex(/^\d+$/)]).transform(String);

/**
 * `start_time` as we send it: `yyyy-MM-dd'T'HH:mm:ss'Z'`, which Zoom reads as UTC whatever the
 * host's time zone (without the `Z` it would read it in the `timezone` field's zone).
 */
export const zoomUtcTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'Must be UTC as yyyy-MM-ddTHH:mm:ssZ');

/** An instant in the format Zoom wants: whole seconds, UTC, with `Z`. */
export const toZoomTime = (at: Date | string): string => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Sizes and counts Zoom documents as strings but usually sends as numbers: either, read as a number. */
const lenientNumber = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

/** Every API error: `{ code, message }` (e.g. 3001 "Meeting does not exist", 124 "Invalid access token"). */
export const zoomErrorBody = z.object({ code: z.union([z.number(), z.string()]).optional(), message: z.string() }).loose();
export type ZoomErrorBody = z.output<typeof zoomErrorBody>;

// ---------------------------------------------------------------- POST https://zoom.us/oauth/token

/** `grant_type=account_credentials`: a bearer token for the whole account, usually for an hour. */
export const tokenResponse = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().refine((t) => t.toLowerCase() === 'bearer', 'Must be a bearer token'),
    expires_in: z.number().int().positive(),
    scope: z.string().optional(),
    api_url: z.string().optional(),
  })
  .loose();
export type TokenResponse = z.output<typeof tokenResponse>;

/** The OAuth endpoint's errors: `{ reason, error }` (e.g. `invalid_client`). */
export const tokenErrorBody = z.object({ reason: z.string().optional(), error: z.string().optional() }).loose();

// ---------------------------------------------------------------- meetings: what we send

export const AUTO_RECORDING = ['local', 'cloud', 'none'] as const;

export const meetingSettingsRequest = z
  .object({
    host_video: z.boolean(),
    participant_video: z.boolean().optional(),
    join_before_host: z.boolean(),
    waiting_room: z.boolean(),
    mute_upon_entry: z.boolean().optional(),
    auto_recording: z.enum(AUTO_RECORDING),
    /** 2: no registration required. */
    approval_type: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  })
  .strict();

/** POST /users/{userId}/meetings: one scheduled meeting (type 2) at a UTC start time. */
export const createMeetingRequest = z
  .object({
    topic: z.string().min(1).max(ZOOM_TOPIC_MAX),
    type: z.literal(2),
    start_time: zoomUtcTime,
    duration: z.number().int().min(1).max(ZOOM_DURATION_MAX),
    timezone: z.string().min(1).max(64).optional(),
    agenda: z.string().max(ZOOM_AGENDA_MAX).optional(),
    settings: meetingSettingsRequest,
  })
  .strict();
export type CreateMeetingRequest = z.input<typeof createMeetingRequest>;

/** PATCH /meetings/{meetingId}: what a reschedule (or a renamed session) changes; at least one field. */
export const updateMeetingRequest = z
  .object({
    topic: z.string().min(1).max(ZOOM_TOPIC_MAX).optional(),
    start_time: zoomUtcTime.optional(),
    duration: z.number().int().min(1).max(ZOOM_DURATION_MAX).optional(),
    timezone: z.string().min(1).max(64).optional(),
    agenda: z.string().max(ZOOM_AGENDA_MAX).optional(),
    settings: meetingSettingsRequest.partial().optional(),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'Change at least one field');
export type UpdateMeetingRequest = z.input<typeof updateMeetingRequest>;

export const LIST_MEETING_TYPES = ['scheduled', 'live', 'upcoming'] as const;
export type ListMeetingType = (typeof LIST_MEETING_TYPES)[number];

// ---------------------------------------------------------------- meetings: what Zoom answers

/** POST /users/{userId}/meetings (201) and GET /meetings/{meetingId} (200). */
export const zoomMeeting = z
  .object({
    id: wireMeetingId,
    uuid: z.string().min(1),
    host_id: z.string().optional(),
    topic: z.string(),
    type: z.number().int(),
    status: z.string().optional(),
    start_time: z.string().optional(),
    duration: z.number().int().optional(),
    timezone: z.string().optional(),
    agenda: z.string().optional(),
    created_at: z.string().optional(),
    /** The host's link: starts the meeting as its host, no sign-in needed. Never for participants. */
    start_url: z.url({ protocol: /^https?$/ }),
    join_url: z.url({ protocol: /^https?$/ }),
    password: z.string().optional(),
    settings: z.object({ auto_recording: z.string().optional(), waiting_room: z.boolean().optional(), join_before_host: z.boolean().optional() }).loose().optional(),
  })
  .loose();
export type ZoomMeeting = z.output<typeof zoomMeeting>;

/** One meeting in a list: no start_url, no agenda. */
export const zoomMeetingSummary = z
  .object({
    id: wireMeetingId,
    uuid: z.string().min(1),
    host_id: z.string().optional(),
    topic: z.string(),
    type: z.number().int(),
    start_time: z.string().optional(),
    duration: z.number().int().optional(),
    timezone: z.string().optional(),
    created_at: z.string().optional(),
    join_url: z.url({ protocol: /^https?$/ }),
  })
  .loose();
export type ZoomMeetingSummary = z.output<typeof zoomMeetingSummary>;

/** GET /users/{userId}/meetings: a page; `next_page_token` is empty or absent on the last one. */
export const meetingListResponse = z
  .object({
    page_count: z.number().int().optional(),
    page_number: z.number().int().optional(),
    page_size: z.number().int(),
    total_records: z.number().int(),
    next_page_token: z.string().optional(),
    meetings: z.array(zoomMeetingSummary),
  })
  .loose();
export type MeetingListResponse = z.output<typeof meetingListResponse>;

// ---------------------------------------------------------------- GET /meetings/{meetingId}/recordings

export const recordingFile = z
  .object({
    id: z.string().optional(),
    meeting_id: z.string().optional(),
    recording_start: z.string().optional(),
    recording_end: z.string().optional(),
    /** MP4, M4A, CHAT, TRANSCRIPT, … */
    file_type: z.string().optional(),
    file_extension: z.string().optional(),
    file_size: lenientNumber.optional(),
    /** Opens Zoom's web player (the recording's passcode may be asked for). http(s) only: participants open it. */
    play_url: z.url({ protocol: /^https?$/ }).optional(),
    /** Needs a Zoom access token (`Authorization: Bearer …` or `?access_token=`) unless the account allows public downloads. */
    download_url: z.url({ protocol: /^https?$/ }).optional(),
    status: z.string().optional(),
    recording_type: z.string().optional(),
  })
  .loose();
export type RecordingFile = z.output<typeof recordingFile>;

/** The meeting's last instance's cloud recordings; Zoom answers 404 (code 3301) when there are none. */
export const recordingsResponse = z
  .object({
    uuid: z.string(),
    id: wireMeetingId,
    account_id: z.string().optional(),
    host_id: z.string().optional(),
    topic: z.string().optional(),
    start_time: z.string().optional(),
    duration: z.number().int().optional(),
    total_size: lenientNumber.optional(),
    recording_count: lenientNumber.optional(),
    share_url: z.url().optional(),
    password: z.string().optional(),
    recording_files: z.array(recordingFile).default([]),
  })
  .loose();
export type RecordingsResponse = z.output<typeof recordingsResponse>;

// ---------------------------------------------------------------- webhooks (POST /webhooks/zoom)

/**
 * Every event Zoom posts: `{ event, event_ts, payload }`. Loose throughout: Zoom adds fields
 * to its events freely, and an event we do not handle is answered 200 and ignored.
 */
export const zoomWebhookEnvelope = z
  .object({
    event: z.string().min(1).max(100),
    /** Epoch milliseconds. */
    event_ts: z.number().int().nonnegative().optional(),
    payload: z.unknown(),
  })
  .loose();

/** Sent when the endpoint URL is saved (and every 72 hours): answer `{ plainToken, encryptedToken }`. */
export const zoomUrlValidationPayload = z.object({ plainToken: z.string().min(1).max(1024) }).loose();

/**
 * `recording.completed`: one meeting instance's cloud recordings are ready. `object.id` is the
 * meeting number (the same for every instance), `object.uuid` names the instance.
 */
export const zoomRecordingCompletedEvent = z
  .object({
    event: z.literal('recording.completed'),
    event_ts: z.number().int().nonnegative().optional(),
    /** Lets a download skip OAuth for 24 hours; we never store it. */
    download_token: z.string().optional(),
    payload: z
      .object({
        account_id: z.string().optional(),
        object: z
          .object({
            id: wireMeetingId,
            /** Base64 (Zoom double-encodes it in URLs when it holds `/`); it becomes part of a key. */
            uuid: z.string().regex(/^[A-Za-z0-9+/=_-]{1,200}$/, 'Must be a Zoom meeting uuid'),
            host_id: z.string().optional(),
            topic: z.string().optional(),
            start_time: z.string().optional(),
            duration: z.number().int().optional(),
            share_url: z.url().optional(),
            password: z.string().optional(),
            recording_play_passcode: z.string().optional(),
            recording_files: z.array(recordingFile).max(100).default([]),
          })
          .loose(),
      })
      .loose(),
  })
  .loose();
export type ZoomRecordingCompletedEvent = z.output<typeof zoomRecordingCompletedEvent>;
