/** Building blocks shared by the schemas. */
import { CURRENCIES } from '../domain/money';
import * as z from './zod';

/** A whole number, then `checks` (zod's `z.number().int()…`: a string is "expected number"). */
export const integer = (...checks: z.core.$ZodCheck<number>[]) => z.number().check(z.int(), ...checks);

/** A string trimmed before `checks` run, and stored trimmed. */
export const trimmed = (...checks: z.core.$ZodCheck<string>[]) => z.string().check(z.trim(), ...checks);

export const nonEmptyString = z.string().check(z.minLength(1));

/** A list whose items must all differ. */
export const distinct = (message: string) => z.refine<readonly unknown[]>((items) => new Set(items).size === items.length, message);

/** User ids: Cognito `sub`s (UUIDs) and the local demo ids (`tutor-ada`). Never contain '#'. */
export const userId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'Must be 1–64 letters, digits, - or _'));

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Session and notification ids are ULIDs. */
export const sessionId = z.string().check(z.regex(ULID, 'Must be a session id'));
export const notificationId = z.string().check(z.regex(ULID, 'Must be a notification id'));

export const money = z.strictObject({
  amount: z.number().check(z.int('Must be a whole number of minor units'), z.nonnegative(), z.maximum(1_000_000_000_00)),
  currency: z.enum(CURRENCIES),
});

/** An ISO 8601 instant with an explicit offset, e.g. 2026-12-01T10:00:00Z. */
export const instant = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((s: string) => new Date(s)),
);

export const pageQuery = {
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
};
