/**
 * What may be logged of an incoming event (at DEBUG only): a copy with every credential
 * replaced by REDACTED, at any depth — the Authorization header, cookies, webhook signatures
 * (x-paystack-signature, x-zm-signature), the WebSocket `token` query parameter, Step
 * Functions task tokens — also inside `rawQueryString`. A body signed by its sender (a
 * webhook, which may carry card data: Paystack's `authorization` and `customer`) is never
 * logged, only its size.
 */
export const REDACTED = '[REDACTED]';

/** Keys whose values are credentials, whatever their case or where they sit. */
const SECRET_KEY = /authorization|cookie|signature|token|secret|password|api[-_]?key/i;

const redactQueryString = (raw: string): string => {
  if (!raw) return raw;
  const params = new URLSearchParams(raw);
  let changed = false;
  for (const name of new Set(params.keys())) {
    if (SECRET_KEY.test(name)) {
      params.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? params.toString() : raw;
};

const redactValue = (value: unknown, depth: number): unknown => {
  if (value === null || typeof value !== 'object') return value;
  // Events are shallow; anything deeper than this is not worth the log line.
  if (depth > 8) return '[…]';
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) out[key] = REDACTED;
    else if (key === 'rawQueryString' && typeof v === 'string') out[key] = redactQueryString(v);
    else out[key] = redactValue(v, depth + 1);
  }
  return out;
};

export interface RedactOptions {
  /** false: replace `body` by its size (webhooks, whose bodies may carry card data). Default true. */
  body?: boolean;
}

/** A JSON body is logged as its redacted object; anything else as it came. */
const redactBody = (body: string): unknown => {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? redactValue(parsed, 1) : body;
  } catch {
    return body;
  }
};

export const redactEvent = (event: unknown, options: RedactOptions = {}): unknown => {
  const copy = redactValue(event, 0);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return copy;
  const withBody = copy as { body?: unknown };
  if (typeof withBody.body === 'string') {
    withBody.body = options.body === false ? `[omitted: ${Buffer.byteLength(withBody.body)} bytes]` : redactBody(withBody.body);
  }
  return copy;
};
