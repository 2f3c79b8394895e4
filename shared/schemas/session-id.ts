/**
 * The session id, all that most workflow steps and stream consumers validate of their input:
 * apart from ./common.ts, whose request and response shapes they would otherwise all build.
 */
import * as z from './zod';

/** Session and notification ids are ULIDs. */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const sessionId = z.string().check(z.regex(ULID, 'Must be a session id'));
