/**
 * A stream record's item image (DynamoDB JSON: `{ "S": "…" }`, `{ "N": "…" }`, …) as a plain
 * object, the way the document client returns items. Numbers become JS numbers: every number
 * the table stores (money in minor units, counters, epoch seconds) is a safe integer.
 */
import type { AttributeValue } from 'aws-lambda';

const fromValue = (v: AttributeValue): unknown => {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.M !== undefined) return fromImage(v.M);
  if (v.L !== undefined) return v.L.map(fromValue);
  if (v.SS !== undefined) return new Set(v.SS);
  if (v.NS !== undefined) return new Set(v.NS.map(Number));
  if (v.B !== undefined) return Buffer.from(v.B, 'base64');
  if (v.BS !== undefined) return new Set(v.BS.map((b) => Buffer.from(b, 'base64')));
  throw new Error(`Unsupported attribute value: ${JSON.stringify(v)}`);
};

export const fromImage = (image: Record<string, AttributeValue>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, fromValue(v)]));
