/**
 * Zoom's rules for the bodies we send, from its API description and documented limits (types,
 * enums, the password's characters and length, topic and agenda lengths), written independently
 * of our client's schemas: a body Zoom takes is taken, one it refuses is refused (400, code 300).
 */
import * as z from '../../../../shared/schemas/zod';

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
export const meetingBody = z.looseObject({
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
export const RATE_LIMITED_MESSAGE = 'You have reached the maximum per-second rate limit for this API. Try again later.';

/** POST /_emulator/users. */
export const userInit = z.strictObject({
  email: z.email(),
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
  status: z.optional(z.enum(['active', 'inactive', 'pending'])),
});
