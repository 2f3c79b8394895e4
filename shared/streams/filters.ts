/**
 * The stream consumers' filter patterns (./consumers.ts) as the local stack's poller applies
 * them in-process, with Lambda's semantics. Only the subset of Lambda's filter syntax the
 * patterns use is supported: nested objects (every key must match), and arrays of allowed
 * values, each an exact string or `{ prefix }`.
 */
export type AllowedValue = string | { prefix: string };
export interface FilterPattern {
  [key: string]: AllowedValue[] | FilterPattern;
}

const allowed = (values: AllowedValue[], actual: unknown): boolean =>
  typeof actual === 'string' && values.some((v) => (typeof v === 'string' ? v === actual : actual.startsWith(v.prefix)));

/** Lambda's semantics for the supported subset: every key of the pattern must be present and match. */
export const matches = (pattern: FilterPattern, value: unknown): boolean => {
  if (typeof value !== 'object' || value === null) return false;
  const obj = value as Record<string, unknown>;
  return Object.entries(pattern).every(([key, p]) => (Array.isArray(p) ? allowed(p, obj[key]) : matches(p, obj[key])));
};
