/** Email preferences (GET/PUT /me/preferences), the unsubscribe link, and SES's bounce and complaint events. */
import { EMAIL_KINDS, isTimeZone, MONEY_KINDS, OPTIONAL_KINDS } from '../domain/email';
import * as z from './zod';

/** An IANA time zone the runtime knows (Africa/Lagos, Europe/London, UTC), as the browser's Intl reports it. */
export const timeZone = z.string().check(
  z.regex(/^[A-Za-z0-9_+/-]{1,64}$/, 'Must be an IANA time zone such as Africa/Lagos'),
  z.refine((v) => isTimeZone(v), 'Unknown time zone'),
  z.describe('IANA time zone, e.g. Africa/Lagos: times in emails are shown in it'),
);

const moneyKind = z.optional(z.literal(true, 'Emails about money cannot be switched off'));

/**
 * The whole of a user's preferences (PUT replaces them): kinds left out are on. The kinds
 * about money may only be sent as true.
 */
export const putPreferencesBody = z.strictObject({
  timeZone,
  email: z._default(
    z.strictObject({
      ...Object.fromEntries(OPTIONAL_KINDS.map((k) => [k, z.optional(z.boolean())])),
      ...Object.fromEntries(MONEY_KINDS.map((k) => [k, moneyKind])),
    } as Record<(typeof EMAIL_KINDS)[number], z.ZodMiniOptional<z.ZodMiniBoolean> | typeof moneyKind>),
    {},
  ),
});

/** What GET and PUT /me/preferences answer. */
export const preferencesResponse = z.strictObject({
  timeZone: z.string(),
  timeZoneSet: z.boolean().check(z.describe('false while `timeZone` is the default (UTC): nobody chose it yet (the web client then saves the browser’s zone)')),
  email: z.strictObject(Object.fromEntries(OPTIONAL_KINDS.map((k) => [k, z.boolean()])) as Record<(typeof OPTIONAL_KINDS)[number], z.ZodMiniBoolean>),
  /** The kinds that are always sent (money). */
  alwaysSent: z.array(z.enum(MONEY_KINDS)),
});

/** The signed token of an unsubscribe link (shared/email/links.ts). */
export const unsubscribeQuery = z.strictObject({
  token: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}\.[A-Z_]{3,40}\.[A-Za-z0-9_-]{43}$/, 'Not an unsubscribe token')),
});

export const unsubscribeResponse = z.strictObject({
  unsubscribed: z.array(z.enum(OPTIONAL_KINDS)),
});

const recipients = () => z.array(z.looseObject({ emailAddress: z.string() }));

/**
 * An SES event record (configuration set event publishing, delivered through SNS). Only the
 * fields we act on are checked; SES adds fields over time. Without event publishing the
 * type is named `notificationType`.
 */
export const sesEvent = z.looseObject({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  bounce: z.optional(z.looseObject({ bounceType: z.string(), bouncedRecipients: recipients(), feedbackId: z.optional(z.string()), timestamp: z.optional(z.string()) })),
  complaint: z.optional(z.looseObject({ complainedRecipients: recipients(), feedbackId: z.optional(z.string()), timestamp: z.optional(z.string()) })),
  mail: z.optional(z.looseObject({ messageId: z.optional(z.string()) })),
});
export type SesEvent = z.output<typeof sesEvent>;
