/**
 * Paystack, as the rest of the code sees it: payments, refunds, banks and transfers, and the
 * signature of a webhook. A small typed client over `fetch`: bearer auth with the secret key,
 * every body sent and every answer checked with its schema (a mismatch is `BAD_RESPONSE`),
 * each attempt with its own timeout; network errors, timeouts, 5xx and 429 retried with
 * exponential backoff and full jitter, other 4xx never (a `PaystackError` with Paystack's
 * message). Which calls are safe to repeat is said beside each (`initialize`, `refund`,
 * `transfer`). Locally PAYSTACK_BASE_URL points it at infra/local/emulators/paystack/.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type * as z from '../schemas/zod';
import { paystackBaseUrl, paystackSecretSource } from '../config';
import { logger } from '../observability/logger';
import { retryReason, retrySettings, type RetryInfo as BaseRetryInfo, type RetryOptions } from './retry';
import { secretJson, secretProvider, secretReader } from './secrets';
import {
  initializeRequest,
  initializeResponse,
  paystackErrorBody,
  paystackReference,
  refundListQuery,
  refundListResponse,
  refundRequest,
  refundResponse,
  verifyResponse,
  bankListResponse,
  resolveAccountQuery,
  resolveAccountResponse,
  createRecipientRequest,
  createRecipientResponse,
  transferReference,
  transferRequest,
  transferResponse,
  verifyTransferResponse,
  type PaystackBank,
  type ResolveAccountQuery,
  type CreateRecipientRequest,
  type CreateRecipientResponse,
  type TransferRequest,
  type TransferData,
  type InitializeRequest,
  type InitializeResponse,
  type PaystackRefund,
  type RefundListQuery,
  type RefundRequest,
  type RefundResponse,
  type VerifyResponse,
} from '../schemas/paystack';

// ---------------------------------------------------------------- errors

export type PaystackErrorCode =
  /** Our own request failed its schema; nothing was sent. */
  | 'INVALID_REQUEST'
  /** initialize: the reference was used before (by us, e.g. a retried initialize). */
  | 'DUPLICATE_REFERENCE'
  /** verify/refund: Paystack does not know the reference. */
  | 'NOT_FOUND'
  /** 401: the secret key is wrong. */
  | 'UNAUTHORIZED'
  /** Any other 4xx: Paystack refused the request; `message` is Paystack's. */
  | 'REJECTED'
  /** 5xx or 429, still after the last retry. */
  | 'UNAVAILABLE'
  /** No answer within the timeout, on every attempt. */
  | 'TIMEOUT'
  /** The connection failed, on every attempt. */
  | 'NETWORK'
  /** A 2xx whose body is not what the response schema says. */
  | 'BAD_RESPONSE';

export type PaystackOperation = 'initialize' | 'verify' | 'refund' | 'listRefunds' | 'listBanks' | 'resolveAccount' | 'createRecipient' | 'transfer' | 'verifyTransfer';

export class PaystackError extends Error {
  readonly code: PaystackErrorCode;
  readonly operation: PaystackOperation;
  /** The HTTP status, when Paystack answered. */
  readonly status?: number;
  /** Paystack's own error code (`duplicate_reference`, `transaction_not_found`, …), when it sent one. */
  readonly paystackCode?: string;
  /** How many requests were made (0: refused before sending). */
  readonly attempts: number;

  constructor(init: { code: PaystackErrorCode; operation: PaystackOperation; message: string; status?: number; paystackCode?: string; attempts: number; cause?: unknown }) {
    super(`Paystack ${init.operation}: ${init.message}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'PaystackError';
    this.code = init.code;
    this.operation = init.operation;
    this.attempts = init.attempts;
    if (init.status !== undefined) this.status = init.status;
    if (init.paystackCode !== undefined) this.paystackCode = init.paystackCode;
  }

  /** True for the outcomes a retried call can legitimately produce: the first attempt did the work. */
  get alreadyDone(): boolean {
    return this.code === 'DUPLICATE_REFERENCE';
  }
}

export const isPaystackError = (e: unknown, code?: PaystackErrorCode): e is PaystackError => e instanceof PaystackError && (code === undefined || e.code === code);

/** A 4xx answer → the error callers can branch on. */
const classify = (status: number, message: string, paystackCode: string | undefined): PaystackErrorCode => {
  if (status === 401) return 'UNAUTHORIZED';
  if (paystackCode === 'duplicate_reference' || /duplicate transaction reference/i.test(message)) return 'DUPLICATE_REFERENCE';
  if (status === 404 || paystackCode === 'transaction_not_found' || /reference not found|transaction not found/i.test(message)) return 'NOT_FOUND';
  return 'REJECTED';
};

// ---------------------------------------------------------------- the client

export interface PaystackClient {
  /**
   * POST /transaction/initialize: the checkout URL for a new payment with our reference. Safe to
   * retry: Paystack refuses a repeated reference (`DUPLICATE_REFERENCE`, which callers treat as
   * "already done").
   */
  initialize(req: InitializeRequest): Promise<InitializeResponse['data']>;
  /** GET /transaction/verify/:reference: the transaction as Paystack has it now (any status). */
  verify(reference: string): Promise<VerifyResponse['data']>;
  /**
   * POST /refund: a refund, usually `pending` at first; the outcome arrives as a refund.* webhook.
   * No guard we could read: a repeated partial refund is a second refund, and Paystack's refusal
   * of a repeated full one is only words. So a partial refund is retried only when it surely
   * never reached Paystack (connection refused, DNS, 429), and whether a transaction is refunded
   * already is asked of Paystack (`verify`, `listRefunds`), never read from a refusal's wording.
   */
  refund(req: RefundRequest): Promise<RefundResponse['data']>;
  /** GET /refund: one page of the integration's refunds, newest first; `pageCount` says how many pages there are. */
  listRefunds(query: RefundListQuery): Promise<{ refunds: PaystackRefund[]; pageCount: number }>;
  /** GET /bank?currency=: every bank of the currency (all pages). */
  listBanks(currency: string): Promise<PaystackBank[]>;
  /** GET /bank/resolve: the account's name as its bank has it (a 4xx: not resolved). */
  resolveAccount(query: ResolveAccountQuery): Promise<{ accountName: string }>;
  /** POST /transferrecipient: the recipient code of a bank account (the same account answers the same recipient). */
  createRecipient(req: CreateRecipientRequest): Promise<CreateRecipientResponse['data']>;
  /** POST /transfer: idempotent by `reference` (a repeat answers the transfer made the first time). */
  transfer(req: TransferRequest): Promise<TransferData>;
  /** GET /transfer/verify/:reference: the transfer as Paystack has it now (NOT_FOUND: Paystack never took it). */
  verifyTransfer(reference: string): Promise<TransferData>;
}

export type RetryInfo = BaseRetryInfo<PaystackOperation>;

export interface PaystackClientOptions extends RetryOptions<PaystackOperation> {
  baseUrl: string;
  /** The key, or a function that yields it (e.g. from Secrets Manager, cached). */
  secretKey: string | (() => string | Promise<string>);
}

const defaultOnRetry = (info: RetryInfo) => logger.warn('Paystack call retried', { ...info });

/** Errors from fetch that mean the request never left this machine, so any request may be repeated. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const causeCode = (e: unknown): string | undefined => {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
};

type RetryPolicy = 'always' | 'unsent-only';

type Attempt<T> = { ok: T } | { fail: PaystackError; retry: boolean };

const errorMessage = (text: string, json: unknown): { message: string; code?: string } => {
  const parsed = paystackErrorBody.safeParse(json);
  if (parsed.success) return { message: parsed.data.message, ...(parsed.data.code ? { code: parsed.data.code } : {}) };
  return { message: text.slice(0, 200) || 'no message' };
};

export const createPaystackClient = (opts: PaystackClientOptions): PaystackClient => {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const { timeoutMs, retries, fetch: doFetch, sleep, onRetry, backoffMs } = retrySettings(opts, { backoffBaseMs: 200, onRetry: defaultOnRetry });
  const key = async (): Promise<string> => (typeof opts.secretKey === 'string' ? opts.secretKey : await opts.secretKey());

  const once = async <S extends z.ZodMiniType>(
    operation: PaystackOperation,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    policy: RetryPolicy,
    attempt: number,
  ): Promise<Attempt<z.output<S>>> => {
    const fail = (code: PaystackErrorCode, message: string, retry: boolean, extra: { status?: number; paystackCode?: string; cause?: unknown } = {}) => ({
      fail: new PaystackError({ code, operation, message, attempts: attempt, ...extra }),
      retry,
    });
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await key()}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      const name = (e as { name?: string } | undefined)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        return fail('TIMEOUT', `no answer within ${timeoutMs} ms`, policy === 'always', { cause: e });
      }
      const code = causeCode(e);
      const unsent = code !== undefined && UNSENT_CODES.has(code);
      return fail('NETWORK', `${(e as Error)?.message ?? String(e)}${code ? ` (${code})` : ''}`, policy === 'always' || unsent, { cause: e });
    }

    let json: unknown;
    let jsonError: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch (e) {
      jsonError = e;
    }
    const status = res.status;
    if (status >= 200 && status < 300) {
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const why = jsonError ? 'the body is not JSON' : parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
        return fail('BAD_RESPONSE', `unexpected answer (${status}): ${why}`, false, { status, cause: jsonError ?? parsed.error });
      }
      const data = parsed.data as { status: boolean; message: string };
      if (!data.status) return fail('REJECTED', data.message, false, { status });
      return { ok: parsed.data };
    }
    const { message, code } = errorMessage(text, json);
    const extra = { status, ...(code ? { paystackCode: code } : {}) };
    if (status === 429) return fail('UNAVAILABLE', message, true, extra);
    if (status >= 500) return fail('UNAVAILABLE', message, policy === 'always', extra);
    return fail(classify(status, message, code), message, false, extra);
  };

  const call = async <S extends z.ZodMiniType>(
    operation: PaystackOperation,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    policy: RetryPolicy = 'always',
  ): Promise<z.output<S>> => {
    for (let attempt = 1; ; attempt++) {
      const result = await once(operation, method, path, body, schema, policy, attempt);
      if ('ok' in result) return result.ok;
      if (!result.retry || attempt > retries) throw result.fail;
      const delayMs = backoffMs(attempt);
      onRetry({ operation, attempt, delayMs, reason: retryReason(result.fail) });
      await sleep(delayMs);
    }
  };

  const checked = <S extends z.ZodMiniType>(operation: PaystackOperation, schema: S, input: unknown): z.output<S> => {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(request)'}: ${i.message}`).join('; ');
    throw new PaystackError({ code: 'INVALID_REQUEST', operation, message: `invalid request: ${message}`, attempts: 0, cause: parsed.error });
  };

  return {
    async initialize(req) {
      const body = checked('initialize', initializeRequest, req);
      return (await call('initialize', 'POST', '/transaction/initialize', body, initializeResponse)).data;
    },
    async verify(reference) {
      const ref = checked('verify', paystackReference, reference);
      return (await call('verify', 'GET', `/transaction/verify/${encodeURIComponent(ref)}`, undefined, verifyResponse)).data;
    },
    async refund(req) {
      const body = checked('refund', refundRequest, req);
      // A partial refund repeated is a second refund: retry only what surely was not sent.
      const policy: RetryPolicy = body.amount === undefined ? 'always' : 'unsent-only';
      return (await call('refund', 'POST', '/refund', body, refundResponse, policy)).data;
    },
    async listRefunds(query) {
      const q = checked('listRefunds', refundListQuery, query);
      const params = new URLSearchParams(Object.entries(q).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])));
      const out = await call('listRefunds', 'GET', `/refund${params.size ? `?${params.toString()}` : ''}`, undefined, refundListResponse);
      return { refunds: out.data, pageCount: out.meta?.pageCount ?? 1 };
    },
    async listBanks(currency) {
      const banks: PaystackBank[] = [];
      let next: string | null | undefined;
      // Cursor pagination; a list longer than 20 pages of 100 is not a bank list.
      for (let page = 0; page < 20; page += 1) {
        const params = new URLSearchParams({ currency, perPage: '100', use_cursor: 'true', ...(next ? { next } : {}) });
        const out = await call('listBanks', 'GET', `/bank?${params.toString()}`, undefined, bankListResponse);
        banks.push(...out.data);
        next = out.meta?.next;
        if (!next) break;
      }
      return banks;
    },
    async resolveAccount(query) {
      const q = checked('resolveAccount', resolveAccountQuery, query);
      const out = await call('resolveAccount', 'GET', `/bank/resolve?${new URLSearchParams(q).toString()}`, undefined, resolveAccountResponse);
      return { accountName: out.data.account_name };
    },
    async createRecipient(req) {
      const body = checked('createRecipient', createRecipientRequest, req);
      return (await call('createRecipient', 'POST', '/transferrecipient', body, createRecipientResponse)).data;
    },
    async transfer(req) {
      const body = checked('transfer', transferRequest, req);
      // The reference makes a repeat harmless: Paystack answers the transfer it made the first time.
      return (await call('transfer', 'POST', '/transfer', body, transferResponse)).data;
    },
    async verifyTransfer(reference) {
      const ref = checked('verifyTransfer', transferReference, reference);
      return (await call('verifyTransfer', 'GET', `/transfer/verify/${encodeURIComponent(ref)}`, undefined, verifyTransferResponse)).data;
    },
  };
};

// ---------------------------------------------------------------- the secret key

/** SecretString: the key itself, or JSON with `secretKey` / `PAYSTACK_SECRET_KEY`. */
export const secretKeyFromSecretString = (s: string): string => {
  const trimmed = s.trim();
  if (trimmed.startsWith('{')) {
    const obj = secretJson(trimmed, 'Paystack') as Record<string, unknown>;
    const key = obj.secretKey ?? obj.PAYSTACK_SECRET_KEY;
    if (typeof key !== 'string' || !key) throw new Error('The Paystack secret has no "secretKey" field');
    return key;
  }
  if (!trimmed) throw new Error('The Paystack secret is empty');
  return trimmed;
};

/**
 * PAYSTACK_SECRET_KEY when set; else the secret named by PAYSTACK_SECRET_ARN, read through
 * the secret reader's cache (./secrets.ts: a rotated key is used within minutes).
 */
export const createSecretKeyProvider = (load = secretReader('Paystack', secretKeyFromSecretString)) =>
  secretProvider(() => {
    const source = paystackSecretSource();
    return 'key' in source ? { value: source.key } : source;
  }, load);

export const paystackSecretKey: () => Promise<string> = createSecretKeyProvider();

let defaultClient: PaystackClient | undefined;
const client = (): PaystackClient => (defaultClient ??= createPaystackClient({ baseUrl: paystackBaseUrl(), secretKey: paystackSecretKey }));

/** The client configured from the environment, created on first use. */
export const paystack: PaystackClient = {
  initialize: (req) => client().initialize(req),
  verify: (reference) => client().verify(reference),
  refund: (req) => client().refund(req),
  listRefunds: (query) => client().listRefunds(query),
  listBanks: (currency) => client().listBanks(currency),
  resolveAccount: (query) => client().resolveAccount(query),
  createRecipient: (req) => client().createRecipient(req),
  transfer: (req) => client().transfer(req),
  verifyTransfer: (reference) => client().verifyTransfer(reference),
};

// ---------------------------------------------------------------- webhooks

type RawBody = string | Uint8Array;

/** `x-paystack-signature`: lowercase hex HMAC-SHA512 of the raw body, keyed with the secret key. */
export const signWebhook = (rawBody: RawBody, secret: string): string => createHmac('sha512', secret).update(rawBody).digest('hex');

const SIGNATURE = /^[0-9a-fA-F]{128}$/;

/**
 * Checks the header against the exact bytes received (re-serialized JSON would not match).
 * Missing, repeated or malformed header → false; the comparison is constant-time.
 */
export const verifyWebhookSignature = (rawBody: RawBody, signatureHeader: string | readonly string[] | null | undefined, secret: string): boolean => {
  if (typeof signatureHeader !== 'string' || !SIGNATURE.test(signatureHeader) || !secret) return false;
  const expected = createHmac('sha512', secret).update(rawBody).digest();
  const given = Buffer.from(signatureHeader, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
};
