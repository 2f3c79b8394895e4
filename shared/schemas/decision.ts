/**
 * What a decision's request carries: nothing (approving, paying, retrying), or the reason a
 * decision against someone must give (rejecting or cancelling a session, declining an
 * application), which they are told. Apart from ./session.ts so the identity and payout routes
 * do not load the session schemas for them.
 */
import { text } from './common';
import * as z from './zod';

/** Routes that take no input (approve, payment): an empty object is accepted, anything else is a 400. */
export const emptyBody = z.optional(z.strictObject({}));

export const reasonBody = z.strictObject({ reason: text(z.minLength(1, 'A reason is required'), z.maxLength(1000)) });
