/** Building blocks shared by the request schemas. */
import * as z from 'zod';
import { CURRENCIES } from '../domain/money';

/** User ids: Cognito `sub`s (UUIDs) and the local demo ids (`tutor-ada`). Never contain '#'. */
export const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Must be 1–64 letters, digits, - or _');

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Session and notification ids are ULIDs. */
export const sessionId = z.string().regex(ULID, 'Must be a session id');
export const notificationId = z.string().regex(ULID, 'Must be a notification id');

export const money = z
  .object({
    amount: z.number().int('Must be a whole number of minor units').nonnegative().max(1_000_000_000_00),
    currency: z.enum(CURRENCIES),
  })
  .strict();

/** An ISO 8601 instant with an explicit offset, e.g. 2026-12-01T10:00:00Z. */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const pageQuery = {
  cursor: z.string().max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
