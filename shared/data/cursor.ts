/**
 * Opaque pagination cursors. A cursor is DynamoDB's LastEvaluatedKey, base64url-encoded.
 * On the way back in it is checked against the query it is used with: the same index
 * partition (the caller's own), a sort key inside the queried range, and nothing but key
 * attributes; so a client cannot forge a cursor that reads another user's partition, and
 * a tampered cursor is a 400, never a 500.
 */
import { ValidationError } from '../domain/errors';

export type Key = Record<string, string>;

const invalid = () => new ValidationError('Invalid cursor', [{ path: 'query.cursor', message: 'Not a cursor from this list' }]);

export const encodeCursor = (key: Record<string, unknown> | undefined): string | null => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null);

export interface CursorExpectation {
  /** The key attributes the cursor must have, exactly. */
  attributes: string[];
  /** The partition attribute of the queried index and the value it must have. */
  partition: [attribute: string, value: string];
  /** The sort attribute of the queried index and the prefix it must have. */
  sortPrefix?: [attribute: string, prefix: string];
}

export const decodeCursor = (cursor: string | undefined, expect: CursorExpectation): Key | undefined => {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  const wanted = [...expect.attributes].sort();
  const got = entries.map(([k]) => k).sort();
  if (got.length !== wanted.length || got.some((k, i) => k !== wanted[i])) throw invalid();
  if (entries.some(([, v]) => typeof v !== 'string' || v.length === 0 || v.length > 512)) throw invalid();
  const k = key as Key;
  if (k[expect.partition[0]] !== expect.partition[1]) throw invalid();
  if (expect.sortPrefix && !k[expect.sortPrefix[0]]!.startsWith(expect.sortPrefix[1])) throw invalid();
  return k;
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
