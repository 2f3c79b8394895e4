/** Building blocks and shapes shared by the API's schemas (its smallest blocks: ./primitives.ts). */
import { SESSION_DURATIONS } from '../domain/booking';
import { CURRENCIES } from '../domain/money';
import { integer } from './primitives';
import { ULID } from './session-id';
import * as z from './zod';

export { allOf, integer, nonEmptyString } from './primitives';

/** A string trimmed before `checks` run, and stored trimmed. */
export const trimmed = (...checks: z.core.$ZodCheck<string>[]) => z.string().check(z.trim(), ...checks);

/**
 * Text a person typed: no control character but line feed and tab (so no NUL, no terminal
 * escape, no C1 control) and no unpaired surrogate (JSON's \ud800 escape can carry one; it
 * is not text, and encoders mangle or reject it). Carriage returns are refused too: a
 * textarea's value has \n line breaks (CRLF appears only in HTML form submissions, which this
 * JSON API does not take), and a lone CR can overwrite a line in a terminal or a log viewer.
 * Written as one pattern so the OpenAPI document shows it (a surrogate pair is one code
 * point under JSON Schema's Unicode matching, two code units here: both read it alike).
 */
// eslint-disable-next-line no-control-regex -- the pattern exists to name the control characters it refuses
export const TEXT_PATTERN = /^(?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/;

/**
 * Free text (titles, notes, reasons, comments, names, bios): checked as sent, then trimmed
 * before `checks` run, and stored trimmed.
 */
export const text = (...checks: z.core.$ZodCheck<string>[]) =>
  z.string().check(z.regex(TEXT_PATTERN, 'Must not contain control characters (other than newline and tab) or unpaired surrogates'), z.trim(), ...checks);

/** A list whose items must all differ. */
export const distinct = (message: string) => z.refine<readonly unknown[]>((items) => new Set(items).size === items.length, message);

/** User ids: Cognito `sub`s (UUIDs) and the local demo ids (`tutor-ada`). Never contain '#'. */
export const userId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Must be 1–64 letters, digits, - or _'));

/** Notification ids are ULIDs, as session ids are (./session-id.ts). */
export const notificationId = z.string().check(z.regex(ULID, 'Must be a notification id'));

const minorUnits = (...checks: z.core.$ZodCheck<number>[]) => z.number().check(z.int('Must be a whole number of minor units'), ...checks, z.maximum(1_000_000_000_00));

export const money = z.strictObject({ amount: minorUnits(z.nonnegative()), currency: z.enum(CURRENCIES) });

/** Money to charge: more than zero (an exclusive minimum the OpenAPI document shows). */
export const price = z.strictObject({ amount: minorUnits(z.positive('Must be more than zero')), currency: z.enum(CURRENCIES) });

/** A session length that exists (an enum in the OpenAPI document). */
export const durationMinutes = z.literal(SESSION_DURATIONS);

/** The same, from a query string: a number, then one of the lengths; the document shows the enum. */
export const durationMinutesQuery = z.pipe(z.coerce.number(), durationMinutes).check(z.meta({ enum: [...SESSION_DURATIONS] }));

/** An ISO 8601 instant with an explicit offset, e.g. 2026-12-01T10:00:00Z. */
export const instant = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => new Date(s)),
);

export const pageQuery = {
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1024), z.describe('The `nextCursor` of the previous page'))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
};

// ---------------------------------------------------------------- responses
// What the routes answer, for the OpenAPI document (`responses` in httpHandler's options);
// nothing checks them at runtime. The end-to-end tests hold every answer to them.

/** An instant as the API sends it: ISO 8601, e.g. 2026-12-01T10:00:00.000Z (the document says date-time; nothing parses it here). */
export const timestamp = z.string().check(z.meta({ format: 'date-time' }));

/** Money as the API sends it: a whole number of minor units (negative where money goes back). */
export const moneyResponse = z.strictObject({ amount: integer(), currency: z.enum(CURRENCIES) });

/** A field newer than some stored items: absent on those, null until it is set. */
export const later = <T extends z.ZodMiniType>(schema: T) => z.optional(z.nullable(schema));

/** One page of a list: `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z.nullable(z.string()).check(z.describe('Pass as `cursor` for the next page; null on the last page')),
  });

/** Every error answer: HttpError.toJSON and the 500 answer in shared/http/handler.ts produce it. */
export const errorResponse = z.strictObject({
  error: z.strictObject({
    code: z.string().check(z.describe('Stable and machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND, INVALID_STATE')),
    message: z.string().check(z.describe('For people; may change')),
    details: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))).check(z.describe('Which input was wrong (VALIDATION_FAILED)')),
  }),
});

/** GET /health (functions/http/health.ts). */
export const healthResponse = z.strictObject({ status: z.literal('ok'), checks: z.strictObject({ table: z.literal('ok') }) });
export const healthUnavailableResponse = z.strictObject({ status: z.literal('unavailable'), checks: z.strictObject({ table: z.literal('unavailable') }) });
