/**
 * What the third-party HTTP clients (Paystack, Zoom) share about calling out: a timeout per
 * attempt, a bounded number of retries, exponential backoff with full jitter between them,
 * and a hook told of each retry. Which failures may be retried stays each client's own rule.
 */

/** One retry about to happen. */
export interface RetryInfo<Op extends string = string> {
  operation: Op;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface RetryOptions<Op extends string> {
  /** Per attempt. Default 5000. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); default Math.random. The delay before retry n is random() × min(maxMs, baseMs × 2^(n-1)). */
  random?: () => number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Called before each retry; default: a warning through the logger. */
  onRetry?: (info: RetryInfo<Op>) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The options with their defaults filled in, and the jittered delay before the n-th retry (1-based). */
export const retrySettings = <Op extends string>(opts: RetryOptions<Op>, defaults: { backoffBaseMs: number; onRetry: (info: RetryInfo<Op>) => void }) => {
  const random = opts.random ?? Math.random;
  const baseMs = opts.backoffBaseMs ?? defaults.backoffBaseMs;
  const maxMs = opts.backoffMaxMs ?? 5000;
  return {
    timeoutMs: opts.timeoutMs ?? 5000,
    retries: opts.retries ?? 3,
    fetch: opts.fetch ?? ((input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => globalThis.fetch(input, init)),
    sleep: opts.sleep ?? defaultSleep,
    onRetry: opts.onRetry ?? defaults.onRetry,
    maxMs,
    backoffMs: (n: number) => Math.floor(random() * Math.min(maxMs, baseMs * 2 ** (n - 1))),
  };
};

/** `CODE status: message`, the reason a retry gives. */
export const retryReason = (fail: { code: string; status?: number; message: string }): string => `${fail.code}${fail.status ? ` ${fail.status}` : ''}: ${fail.message}`;
