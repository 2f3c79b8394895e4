/**
 * The smallest building blocks of the schemas: a whole number, a non-empty string, a union's
 * members. Apart from ./common.ts (which re-exports them for the API's schemas) because the
 * Paystack and Zoom clients' schemas need only these, and common.ts builds every shared
 * request and response shape (and the zod they need) as it loads.
 */
import * as z from './zod';

/** A whole number, then `checks` (zod's `z.number().int()…`: a string is "expected number"). */
export const integer = (...checks: z.core.$ZodCheck<number>[]) => z.number().check(z.int(), ...checks);

export const nonEmptyString = z.string().check(z.minLength(1));

/** The members of a string union as a list to enumerate; the Record makes the compiler check each is named, once. */
export const allOf = <T extends string>(members: Record<T, true>) => Object.keys(members) as [T, ...T[]];
