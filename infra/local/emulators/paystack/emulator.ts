/**
 * A local Paystack: the three API endpoints we call, a checkout page, and signed webhooks
 * with Paystack's retry behaviour, speaking Paystack's wire format (every answer parses with
 * shared/schemas/paystack.ts; the contract tests check it). Point the client at it with
 * PAYSTACK_BASE_URL.
 *
 *   POST /transaction/initialize      → authorization_url = <publicUrl>/checkout/<access_code>
 *   GET  /transaction/verify/:ref     → the transaction (`abandoned` until paid, like Paystack)
 *   POST /refund                      → `pending`, then a signed refund.processed webhook (or
 *                                       the steps set for the transaction: see below)
 *   GET  /refund, GET /refund/:id     → the refunds (newest first; from, to, perPage, page), one refund
 *   GET  /checkout/:access_code       → a page with "Pay" and "Fail" buttons
 *   POST /checkout/:access_code       → outcome=success|failed settles the transaction;
 *                                       success sends charge.success and redirects to the
 *                                       callback_url with ?trxref=…&reference=…
 *   GET  /_emulator/log                → { lines }: the emulator's recent log lines (not
 *                                       Paystack's; for tests and curious developers)
 *   banks, account resolve, transfer recipients, transfers and their webhooks, with their
 *   faults and control endpoint: ./paystack-transfers.ts
 *
 * Requests are held to Paystack's published rules (its API description: required fields,
 * types, enums, status codes), written here independently of our client's schemas, so that a
 * request our client builds but Paystack would refuse is refused here too, and one Paystack
 * takes (initialize without currency, fields we never send) is taken. Unknown fields are
 * ignored, as Paystack does. An unknown reference on verify is 404.
 *
 * Refund outcomes: a refund is `pending`, then by default `processed`; `setRefundSteps` (or
 * the control endpoint below) makes the next refunds of a transaction go through other
 * documented statuses instead, e.g. processing → failed, or needs-attention, each sent as its
 * refund.* webhook. Amounts in refund.pending / processing / processed events are digit
 * strings, as in Paystack's published samples; in refund.failed / needs-attention numbers.
 *
 *   POST /_emulator/transactions/:ref/refund-steps   {"steps":["processing","failed"]}
 *        (not Paystack's; works under faults too) → 200; 400 for steps that do not end the
 *        refund (the last must be processed, failed or needs-attention); 404 unknown ref.
 *
 * Deliberate simplifications: only JSON API bodies (Paystack also takes form posts); one
 * integration (currency NGN), one secret key; no fees split, no subaccount settlement.
 *
 * Faults (a Set the caller may change while running): `paystack` → every API call answers
 * 500; `paystack-verify` → verify answers 500. The checkout page keeps working.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { BodyTooLargeError, httpOrigin, listen, readBody } from '../../ports';
import { signWebhook } from '../../../../shared/integrations/paystack';
import { createTransfers, TransferAnswer, type EmulatedTransfers } from './transfers';
import type { PaystackRefundStatus, PaystackTransactionStatus } from '../../../../shared/schemas/paystack';
import * as z from '../../../../shared/schemas/zod';

/** How many log lines GET /_emulator/log keeps. */
const RECENT_LOG_LINES = 20_000;

export const PAYSTACK_FAULTS = { all: 'paystack', verify: 'paystack-verify' } as const;

// ---------------------------------------------------------------- Paystack's rules

/** The currencies Paystack's description lists (`Currency`). */
const PAYSTACK_CURRENCIES = ['GHS', 'KES', 'NGN', 'ZAR', 'USD'] as const;
/** What an initialize without `currency` is in: the integration's own currency. */
const INTEGRATION_CURRENCY = 'NGN';
const CHANNELS = ['card', 'bank', 'ussd', 'qr', 'eft', 'mobile_money', 'bank_transfer'] as const;
const wholeNumber = z.number().check(z.int('must be an integer'));

/** `TransactionInitialize`: email and amount required; the rest optional; unknown fields ignored. */
const initializeBody = z.looseObject({
  email: z.email(),
  amount: wholeNumber.check(z.positive()),
  currency: z.optional(z.enum(PAYSTACK_CURRENCIES)),
  reference: z.optional(z.string().check(z.regex(/^[A-Za-z0-9.=-]+$/, 'Only -, ., = and alphanumeric characters allowed'))),
  channels: z.optional(z.array(z.enum(CHANNELS))),
  callback_url: z.optional(z.string()),
  plan: z.optional(z.string()),
  invoice_limit: z.optional(wholeNumber),
  split_code: z.optional(z.string()),
  split: z.optional(z.record(z.string(), z.unknown())),
  subaccount: z.optional(z.string()),
  transaction_charge: z.optional(z.string()),
  bearer: z.optional(z.enum(['account', 'subaccount'])),
  label: z.optional(z.string()),
  metadata: z.optional(z.record(z.string(), z.unknown())),
});

/** `RefundCreate`: the transaction required. */
const refundBody = z.looseObject({
  transaction: z.string().check(z.minLength(1)),
  amount: z.optional(wholeNumber.check(z.positive())),
  currency: z.optional(z.enum(PAYSTACK_CURRENCIES)),
  customer_note: z.optional(z.string()),
  merchant_note: z.optional(z.string()),
});

/** The statuses a refund may go through after `pending`; the last of a script must end it. */
export const REFUND_STEPS = ['processing', 'processed', 'failed', 'needs-attention'] as const;
export type RefundStep = (typeof REFUND_STEPS)[number];
const refundSteps = z.array(z.enum(REFUND_STEPS)).check(
  z.minLength(1),
  z.refine((steps) => steps.at(-1) !== 'processing', 'The last step must end the refund: processed, failed or needs-attention'),
);

/** Real Paystack: every 3 minutes for the first 4 tries, then hourly for 72 hours. Compressed here. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [1000, 3000, 10_000, 30_000];

export interface PaystackEmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The key callers must send as `authorization: Bearer …`; also signs the webhooks. */
  secretKey: string;
  /** Where webhooks go; without it none are sent (the events are still recorded). */
  webhookUrl?: string;
  /** The base of authorization_url as the browser sees it. Default: the emulator's own URL. */
  publicUrl?: string;
  faults?: ReadonlySet<string>;
  /** Delays between webhook attempts after a non-200; the list's end is the last attempt. */
  retryDelaysMs?: readonly number[];
  /** Per webhook attempt. Default 10 s. */
  webhookTimeoutMs?: number;
  /** From a refund's creation to its refund.processed webhook. Default 500 ms. */
  refundDelayMs?: number;
  /** From a transfer's creation to its outcome (and transfer.* webhook). Default 500 ms. */
  transferDelayMs?: number;
  /** Also send refund.pending when a refund is created (Paystack does). Default false. */
  sendRefundPending?: boolean;
  /** One line per request and per webhook attempt; default: to stdout. `false` silences it. */
  log?: ((line: string) => void) | false;
}

export interface EmulatedRefund {
  id: number;
  amount: number;
  currency: string;
  status: PaystackRefundStatus;
  refundReference: string | null;
  merchantNote: string;
  customerNote: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookEvent {
  event: string;
  data: Record<string, unknown>;
}

export interface EmulatedTransaction {
  id: number;
  reference: string;
  accessCode: string;
  email: string;
  amount: number;
  currency: string;
  /** Absent when initialize had none (Paystack then reports ""). */
  metadata?: Record<string, unknown>;
  /** Absent when initialize had none (Paystack would use the dashboard's). */
  callbackUrl?: string;
  subaccount?: string;
  bearer?: string;
  status: PaystackTransactionStatus;
  gatewayResponse: string;
  createdAt: string;
  paidAt: string | null;
  customerId: number;
  customerCode: string;
  refunds: EmulatedRefund[];
  /** The webhooks sent for it, oldest first. */
  events: WebhookEvent[];
}

export interface WebhookAttempt {
  event: string;
  reference: string | undefined;
  attempt: number;
  /** The HTTP status, or the error message when there was no answer. */
  outcome: number | string;
  at: string;
}

export interface WebhookDelivery {
  delivered: boolean;
  attempts: number;
}

export interface PaystackEmulator {
  url: string;
  port: number;
  /** By reference. The objects are live: they change as the emulator works. */
  transactions: ReadonlyMap<string, EmulatedTransaction>;
  /** Every webhook attempt, oldest first. */
  webhookAttempts: readonly WebhookAttempt[];
  /** Signs and sends an event (with retries); resolves when delivered or given up. */
  deliverWebhook(event: WebhookEvent): Promise<WebhookDelivery>;
  /** Sends the latest webhook of a transaction again, as Paystack sometimes does. */
  redeliver(reference: string): Promise<WebhookDelivery>;
  /** What the checkout form does, without a browser. Settling twice is a no-op. */
  settle(reference: string, outcome: 'success' | 'failed'): EmulatedTransaction;
  /**
   * The statuses the transaction's next refunds go through after `pending`, each sent as its
   * refund.* webhook (default: ['processed']). The last must end the refund.
   */
  setRefundSteps(reference: string, steps: readonly RefundStep[]): void;
  /** The Transfers API's state (recipients, transfers by reference) and test controls. */
  transfers: EmulatedTransfers;
  /**
   * Resolves once nothing is left to do: every webhook delivered or given up (retries
   * included), every queued refund processed and its webhook sent. What was sent by then is
   * all that was sent, so a test proves "no (further) webhook" here instead of by waiting.
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const INTEGRATION_ID = 100_001;
const DOMAIN = 'test';

class HttpAnswer extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const randomCode = (length: number): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
};

const readText = async (req: IncomingMessage): Promise<string> => {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? new HttpAnswer(413, 'Request body too large') : e;
  }
};

const formatMoney = (amount: number, currency: string): string => `${currency} ${(amount / 100).toFixed(2)}`;

const withQuery = (url: string, params: Record<string, string>): string => {
  try {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  } catch {
    return url;
  }
};

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
  '<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.6rem}</style>' +
  `</head><body><p><small>Paystack (local emulator)</small></p>${body}</body></html>`;

export const startPaystackEmulator = async (opts: PaystackEmulatorOptions): Promise<PaystackEmulator> => {
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults ?? new Set<string>();
  const retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
  const webhookTimeoutMs = opts.webhookTimeoutMs ?? 10_000;
  const refundDelayMs = opts.refundDelayMs ?? 500;
  const print = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const recentLines: string[] = [];
  const log = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > RECENT_LOG_LINES) recentLines.splice(0, recentLines.length - RECENT_LOG_LINES);
    print(line);
  };

  const transactions = new Map<string, EmulatedTransaction>();
  const byAccessCode = new Map<string, EmulatedTransaction>();
  const webhookAttempts: WebhookAttempt[] = [];
  const timers = new Map<NodeJS.Timeout, () => void>();
  // Work still to finish (deliveries, queued refunds), for idle().
  const busy = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p);
    void p.finally(() => busy.delete(p)).catch(() => {});
    return p;
  };
  const inFlight = new Set<AbortController>();
  let stopped = false;
  let nextId = 4_000_000_000 + Math.floor(Math.random() * 1_000_000);
  let nextCustomerId = 200_000_000;
  let nextRefundId = 10_000_000;
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';

  const later = (ms: number, fn: () => void) => {
    let done!: () => void;
    void track(new Promise<void>((r) => (done = r)));
    const t = setTimeout(() => {
      timers.delete(t);
      try {
        if (!stopped) fn();
      } finally {
        done();
      }
    }, ms);
    timers.set(t, done);
  };

  // ---------------------------------------------------------------- wire shapes

  const customer = (t: EmulatedTransaction) => ({
    id: t.customerId,
    first_name: null,
    last_name: null,
    email: t.email,
    customer_code: t.customerCode,
    phone: null,
    metadata: null,
    risk_action: 'default',
    international_format_phone: null,
  });

  const authorization = (t: EmulatedTransaction) =>
    t.status === 'success' || t.status === 'reversed'
      ? {
          authorization_code: `AUTH_${t.accessCode}`,
          bin: '408408',
          last4: '4081',
          exp_month: '12',
          exp_year: '2030',
          channel: 'card',
          card_type: 'visa ',
          bank: 'TEST BANK',
          country_code: 'NG',
          brand: 'visa',
          reusable: true,
          signature: `SIG_${t.customerCode}`,
          account_name: null,
          receiver_bank_account_number: null,
          receiver_bank: null,
        }
      : {};

  const paid = (t: EmulatedTransaction) => t.paidAt !== null;
  const fees = (t: EmulatedTransaction) => (paid(t) ? Math.min(Math.round(t.amount * 0.015), 200_000) : null);

  /** GET /transaction/verify and the charge.success webhook carry the same transaction object. */
  const transactionData = (t: EmulatedTransaction) => ({
    id: t.id,
    domain: DOMAIN,
    status: t.status,
    reference: t.reference,
    receipt_number: null,
    amount: t.amount,
    message: null,
    gateway_response: t.gatewayResponse,
    paid_at: t.paidAt,
    created_at: t.createdAt,
    channel: 'card',
    currency: t.currency,
    ip_address: '127.0.0.1',
    metadata: t.metadata ?? '',
    log: null,
    fees: fees(t),
    fees_split: null,
    authorization: authorization(t),
    customer: customer(t),
    plan: null,
    split: {},
    order_id: null,
    paidAt: t.paidAt,
    createdAt: t.createdAt,
    requested_amount: t.amount,
    pos_transaction_data: null,
    source: null,
    fees_breakdown: null,
    connect: null,
    transaction_date: t.createdAt,
    plan_object: {},
    subaccount: t.subaccount ? { subaccount_code: t.subaccount } : {},
  });

  const refundData = (t: EmulatedTransaction, r: EmulatedRefund) => ({
    transaction: {
      id: t.id,
      domain: DOMAIN,
      reference: t.reference,
      amount: t.amount,
      paid_at: t.paidAt,
      channel: 'card',
      currency: t.currency,
      authorization: { exp_month: null, exp_year: null, account_name: null },
      customer: { international_format_phone: null },
      plan: {},
      subaccount: { currency: null },
      split: {},
      order_id: null,
      paidAt: t.paidAt,
      pos_transaction_data: null,
      source: null,
      fees_breakdown: null,
    },
    integration: INTEGRATION_ID,
    deducted_amount: 0,
    channel: null,
    merchant_note: r.merchantNote,
    customer_note: r.customerNote,
    status: r.status,
    refunded_by: 'emulator@example.com',
    expected_at: new Date(Date.parse(r.createdAt) + 10 * 86_400_000).toISOString(),
    currency: r.currency,
    domain: DOMAIN,
    amount: r.amount,
    fully_deducted: false,
    id: r.id,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });

  /** A refund as GET /refund and GET /refund/:id describe it. */
  const refundRecord = (t: EmulatedTransaction, r: EmulatedRefund) => ({
    integration: INTEGRATION_ID,
    transaction: t.id,
    dispute: null,
    settlement: null,
    id: r.id,
    domain: DOMAIN,
    currency: r.currency,
    amount: r.amount,
    status: r.status,
    refunded_at: r.status === 'processed' ? r.updatedAt : null,
    refunded_by: 'emulator@example.com',
    customer_note: r.customerNote,
    merchant_note: r.merchantNote,
    deducted_amount: 0,
    fully_deducted: 0,
    createdAt: r.createdAt,
    bank_reference: null,
    transaction_reference: t.reference,
    reason: r.customerNote,
    customer: { ...customer(t), first_name: '', last_name: '', phone: null, metadata: '', international_format_phone: '' },
    refund_type: r.amount === t.amount ? 'full' : 'partial',
    transaction_amount: t.amount,
    initiated_by: 'api',
    refund_channel: 'card',
    session_id: null,
    collect_account_number: false,
  });

  /** The refund.* webhook payload, per Paystack's webhook documentation and samples. */
  const refundEventData = (t: EmulatedTransaction, r: EmulatedRefund) => ({
    status: r.status,
    transaction_reference: t.reference,
    refund_reference: r.refundReference,
    // Paystack's samples carry a digit string here, a number in failed and needs-attention.
    amount: r.status === 'failed' || r.status === 'needs-attention' ? r.amount : String(r.amount),
    currency: r.currency,
    processor: 'emulator',
    customer: { first_name: null, last_name: null, email: t.email },
    integration: INTEGRATION_ID,
    domain: DOMAIN,
    id: r.id,
  });

  // ---------------------------------------------------------------- webhooks

  const referenceOf = (event: WebhookEvent): string | undefined => {
    const d = event.data as { reference?: unknown; transaction_reference?: unknown };
    const ref = d.reference ?? d.transaction_reference;
    return typeof ref === 'string' ? ref : undefined;
  };

  const attemptOnce = async (body: string, signature: string): Promise<number | string> => {
    if (!opts.webhookUrl) return 'no webhookUrl configured';
    const abort = new AbortController();
    inFlight.add(abort);
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${webhookTimeoutMs} ms`)), webhookTimeoutMs);
    try {
      const res = await fetch(opts.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-paystack-signature': signature, 'user-agent': 'Paystack-Emulator' },
        body,
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (e) {
      const reason: unknown = abort.signal.aborted ? abort.signal.reason : e;
      return (reason as Error)?.message ?? String(reason);
    } finally {
      clearTimeout(timer);
      inFlight.delete(abort);
    }
  };

  /** Waits between attempts; resolves false at once when the emulator stops (or has stopped). */
  const waits = new Set<{ timer: NodeJS.Timeout; resolve: (go: boolean) => void }>();
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      // Stopped during the attempt (its request aborted): no retry to wait for.
      if (stopped) return resolve(false);
      const entry = {
        timer: setTimeout(() => {
          waits.delete(entry);
          resolve(!stopped);
        }, ms),
        resolve,
      };
      waits.add(entry);
    });

  /** Never rejects: a delivery problem is recorded and logged, never a crash. */
  const deliverWebhook = (event: WebhookEvent): Promise<WebhookDelivery> => track(deliver(event));
  const deliver = async (event: WebhookEvent): Promise<WebhookDelivery> => {
    let attempts = 0;
    try {
      const body = JSON.stringify(event);
      const signature = signWebhook(body, opts.secretKey);
      const reference = referenceOf(event);
      for (;;) {
        if (stopped) return { delivered: false, attempts };
        attempts++;
        const outcome = await attemptOnce(body, signature);
        webhookAttempts.push({ event: event.event, reference, attempt: attempts, outcome, at: new Date().toISOString() });
        log(`paystack webhook ${event.event}${reference ? ` ${reference}` : ''} attempt ${attempts} → ${outcome}`);
        if (outcome === 200) return { delivered: true, attempts };
        const delay = retryDelaysMs[attempts - 1];
        if (delay === undefined || !opts.webhookUrl || !(await pause(delay))) return { delivered: false, attempts };
      }
    } catch (e) {
      try {
        log(`paystack webhook ${event.event} not delivered: ${String(e)}`);
      } catch {
        /* a throwing logger must not crash the emulator either */
      }
      return { delivered: false, attempts };
    }
  };

  const transfers = createTransfers({
    faults,
    later: (ms, fn) => later(ms, fn),
    deliver: (event) => void deliverWebhook(event),
    log,
    delayMs: opts.transferDelayMs ?? 500,
  });

  const send = (t: EmulatedTransaction, event: WebhookEvent): void => {
    t.events.push(event);
    void deliverWebhook(event);
  };

  const redeliver = (reference: string): Promise<WebhookDelivery> => {
    const t = transactions.get(reference);
    const event = t?.events.at(-1);
    if (!event) return Promise.reject(new Error(`No webhook was sent for ${reference}`));
    return deliverWebhook(event);
  };

  // ---------------------------------------------------------------- transactions

  const settle = (reference: string, outcome: 'success' | 'failed'): EmulatedTransaction => {
    const t = transactions.get(reference);
    if (!t) throw new Error(`Unknown transaction ${reference}`);
    if (t.status !== 'abandoned' && t.status !== 'ongoing') return t;
    if (outcome === 'success') {
      t.status = 'success';
      t.paidAt = new Date().toISOString();
      t.gatewayResponse = 'Successful';
      send(t, { event: 'charge.success', data: transactionData(t) });
    } else {
      // Paystack sends no webhook for a declined card: the customer may try again on checkout.
      t.status = 'failed';
      t.gatewayResponse = 'Declined';
    }
    return t;
  };

  const initialize = (body: unknown) => {
    const parsed = initializeBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpAnswer(400, `${issue.path.join('.') || 'body'}: ${issue.message}`, { type: 'validation_error', code: 'invalid_params' });
    }
    const req = { ...parsed.data, reference: parsed.data.reference ?? randomCode(10) };
    if (transactions.has(req.reference)) {
      throw new HttpAnswer(400, 'Duplicate Transaction Reference', {
        meta: { nextStep: 'Try and create the Transaction or Charge with a new reference' },
        type: 'validation_error',
        code: 'duplicate_reference',
      });
    }
    const t: EmulatedTransaction = {
      id: nextId++,
      reference: req.reference,
      accessCode: randomCode(15),
      email: req.email,
      amount: req.amount,
      currency: req.currency ?? INTEGRATION_CURRENCY,
      ...(req.metadata ? { metadata: req.metadata } : {}),
      ...(req.callback_url ? { callbackUrl: req.callback_url } : {}),
      ...(req.subaccount ? { subaccount: req.subaccount } : {}),
      ...(req.bearer ? { bearer: req.bearer } : {}),
      // What Verify reports for an initialized transaction nobody has paid.
      status: 'abandoned',
      gatewayResponse: 'The transaction was not completed',
      createdAt: new Date().toISOString(),
      paidAt: null,
      customerId: nextCustomerId++,
      customerCode: `CUS_${randomCode(15)}`,
      refunds: [],
      events: [],
    };
    transactions.set(t.reference, t);
    byAccessCode.set(t.accessCode, t);
    return {
      status: true,
      message: 'Authorization URL created',
      data: { authorization_url: `${publicUrl}/checkout/${t.accessCode}`, access_code: t.accessCode, reference: t.reference },
    };
  };

  /** Verify's answer is 404 (Paystack's description); refund's 400 (it documents none). */
  const notFound = (status: 400 | 404) =>
    new HttpAnswer(status, 'Transaction reference not found', {
      meta: { nextStep: "Ensure that you're passing the reference of a transaction that exists on this integration" },
      type: 'validation_error',
      code: 'transaction_not_found',
    });

  const verify = (reference: string) => {
    const t = transactions.get(reference);
    if (!t) throw notFound(404);
    return { status: true, message: 'Verification successful', data: transactionData(t) };
  };

  const findTransaction = (idOrReference: string): EmulatedTransaction | undefined =>
    transactions.get(idOrReference) ?? (/^\d+$/.test(idOrReference) ? [...transactions.values()].find((t) => String(t.id) === idOrReference) : undefined);

  const refund = (body: unknown) => {
    const parsed = refundBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpAnswer(400, `${issue.path.join('.') || 'body'}: ${issue.message}`, { type: 'validation_error', code: 'invalid_params' });
    }
    const req = parsed.data;
    log(`paystack refund requested for ${req.transaction}`);
    const t = findTransaction(req.transaction);
    if (!t) throw notFound(400);
    if (!paid(t)) throw new HttpAnswer(400, 'Cannot refund a transaction that has not been paid', { type: 'validation_error' });
    if (req.currency && req.currency !== t.currency) throw new HttpAnswer(400, 'Currency does not match the transaction currency', { type: 'validation_error' });
    const refunded = t.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
    const remaining = t.amount - refunded;
    if (remaining <= 0) throw new HttpAnswer(400, 'Transaction has been fully reversed', { type: 'validation_error' });
    const amount = req.amount ?? remaining;
    if (amount > remaining) throw new HttpAnswer(400, 'Refund amount cannot be more than the unrefunded transaction amount', { type: 'validation_error' });
    const now = new Date().toISOString();
    const r: EmulatedRefund = {
      id: nextRefundId++,
      amount,
      currency: t.currency,
      status: 'pending',
      refundReference: null,
      merchantNote: req.merchant_note ?? `Refund for transaction ${t.reference} by emulator@example.com`,
      customerNote: req.customer_note ?? `Refund for transaction ${t.reference}`,
      createdAt: now,
      updatedAt: now,
    };
    t.refunds.push(r);
    const answer = { status: true, message: 'Refund has been queued for processing', data: refundData(t, r) };
    if (opts.sendRefundPending) send(t, { event: 'refund.pending', data: refundEventData(t, r) });
    const steps = refundStepsOf.get(t.reference) ?? ['processed'];
    const step = (i: number) =>
      later(refundDelayMs, () => {
        r.status = steps[i]!;
        if (r.status !== 'processing') r.refundReference ??= `RF${randomCode(12).toUpperCase()}`;
        r.updatedAt = new Date().toISOString();
        if (t.refunds.filter((x) => x.status === 'processed').reduce((sum, x) => sum + x.amount, 0) >= t.amount) t.status = 'reversed';
        send(t, { event: `refund.${r.status}`, data: refundEventData(t, r) });
        if (i + 1 < steps.length) step(i + 1);
      });
    step(0);
    return answer;
  };

  const allRefunds = () => [...transactions.values()].flatMap((t) => t.refunds.map((r) => ({ t, r })));

  const listRefunds = (query: URLSearchParams) => {
    const time = (name: string) => {
      const v = query.get(name);
      if (v === null) return undefined;
      if (Number.isNaN(Date.parse(v))) throw new HttpAnswer(400, `${name} must be a date-time`, { type: 'validation_error' });
      return Date.parse(v);
    };
    const count = (name: string, fallback: number) => {
      const v = query.get(name);
      if (v === null) return fallback;
      if (!/^[1-9]\d*$/.test(v)) throw new HttpAnswer(400, `${name} must be a positive integer`, { type: 'validation_error' });
      return Number(v);
    };
    const [from, to, perPage, pageNo] = [time('from'), time('to'), count('perPage', 50), count('page', 1)];
    const matching = allRefunds()
      .filter(({ r }) => (from === undefined || Date.parse(r.createdAt) >= from) && (to === undefined || Date.parse(r.createdAt) <= to))
      .sort((a, b) => b.r.id - a.r.id);
    const pageCount = Math.max(1, Math.ceil(matching.length / perPage));
    const data = matching.slice((pageNo - 1) * perPage, pageNo * perPage).map(({ t, r }) => refundRecord(t, r));
    const failedRefundCount = matching.filter(({ r }) => r.status === 'failed').length;
    return {
      status: true,
      message: 'Refunds retrieved',
      data,
      meta: { total: matching.length, skipped: (pageNo - 1) * perPage, perPage: String(perPage), page: pageNo, pageCount, failedRefundCount },
    };
  };

  const fetchRefund = (id: string) => {
    const found = allRefunds().find(({ r }) => String(r.id) === id);
    if (!found) throw new HttpAnswer(404, 'Refund not found', { type: 'api_error', code: 'not_found' });
    return { status: true, message: 'Refund retrieved', data: refundRecord(found.t, found.r) };
  };

  const refundStepsOf = new Map<string, readonly RefundStep[]>();
  const setRefundSteps = (reference: string, steps: readonly RefundStep[]): void => {
    if (!transactions.has(reference)) throw new HttpAnswer(404, `Unknown transaction ${reference}`);
    const parsed = refundSteps.safeParse(steps);
    if (!parsed.success) throw new HttpAnswer(400, `steps: ${parsed.error.issues[0]!.message}`);
    refundStepsOf.set(reference, parsed.data);
  };

  // ---------------------------------------------------------------- checkout pages

  const checkoutPage = (t: EmulatedTransaction): string => {
    if (t.status === 'abandoned' || t.status === 'ongoing') {
      return page(
        'Pay',
        `<h1>Pay ${escapeHtml(formatMoney(t.amount, t.currency))}</h1><p>${escapeHtml(t.email)}</p><p><small>Reference ${escapeHtml(t.reference)}</small></p>` +
          `<form method="post"><button name="outcome" value="success">Pay</button><button name="outcome" value="failed">Fail</button></form>`,
      );
    }
    return resultPage(t);
  };

  const returnUrl = (t: EmulatedTransaction): string | undefined =>
    t.callbackUrl === undefined ? undefined : withQuery(t.callbackUrl, { trxref: t.reference, reference: t.reference });

  const resultPage = (t: EmulatedTransaction): string => {
    const back = returnUrl(t);
    return page(
      t.status === 'success' ? 'Payment successful' : 'Payment not completed',
      `<h1>${t.status === 'success' ? 'Payment successful' : `Payment ${escapeHtml(t.status)}`}</h1>` +
        `<p>${escapeHtml(formatMoney(t.amount, t.currency))} · ${escapeHtml(t.reference)}</p>` +
        (back ? `<p><a href="${escapeHtml(back)}">Return to ${escapeHtml(t.callbackUrl!)}</a></p>` : ''),
    );
  };

  // ---------------------------------------------------------------- HTTP

  const sendJson = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const sendHtml = (res: ServerResponse, status: number, html: string) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  };

  const parseJson = (text: string): unknown => {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      throw new HttpAnswer(400, 'Invalid JSON body');
    }
  };

  const api = async (req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<unknown> => {
    if (faults.has(PAYSTACK_FAULTS.all)) throw new HttpAnswer(500, 'An error occurred (emulated fault)');
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${opts.secretKey}`) throw new HttpAnswer(401, 'Invalid key');
    if (method === 'POST' && path === '/transaction/initialize') return initialize(parseJson(await readText(req)));
    if (method === 'POST' && path === '/refund') return refund(parseJson(await readText(req)));
    if (method === 'GET' && path === '/refund') return listRefunds(query);
    const refundMatch = /^\/refund\/(\d+)$/.exec(path);
    if (method === 'GET' && refundMatch) return fetchRefund(refundMatch[1]!);
    const verifyMatch = /^\/transaction\/verify\/([^/]+)$/.exec(path);
    if (method === 'GET' && verifyMatch) {
      if (faults.has(PAYSTACK_FAULTS.verify)) throw new HttpAnswer(500, 'An error occurred (emulated fault)');
      let reference: string;
      try {
        reference = decodeURIComponent(verifyMatch[1]!);
      } catch {
        throw notFound(404);
      }
      return verify(reference);
    }
    const transferAnswer = transfers.api(method, path, query, async () => parseJson(await readText(req)));
    if (transferAnswer) return await transferAnswer;
    throw new HttpAnswer(404, 'Not found');
  };

  const checkout = async (req: IncomingMessage, res: ServerResponse, method: string, accessCode: string) => {
    const t = byAccessCode.get(accessCode);
    if (!t) return sendHtml(res, 404, page('Not found', '<h1>This payment link is not valid</h1>'));
    if (method === 'GET') return sendHtml(res, 200, checkoutPage(t));
    if (method !== 'POST') return sendHtml(res, 405, page('Not allowed', '<h1>Method not allowed</h1>'));
    const text = await readText(req);
    const outcome = (req.headers['content-type'] ?? '').includes('application/json')
      ? (parseJson(text) as { outcome?: unknown }).outcome
      : new URLSearchParams(text).get('outcome');
    if (outcome !== 'success' && outcome !== 'failed') return sendHtml(res, 400, page('Bad request', '<h1>outcome must be success or failed</h1>'));
    settle(t.reference, outcome);
    const back = returnUrl(t);
    if (t.status === 'success' && back) {
      res.writeHead(302, { location: back, 'content-length': 0 });
      return res.end();
    }
    return sendHtml(res, 200, resultPage(t));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    res.on('finish', () => log(`paystack ${method} ${path} ${res.statusCode} ${Date.now() - started}ms`));
    try {
      if (method === 'GET' && path === '/_emulator/log') return sendJson(res, 200, { lines: recentLines });
      const checkoutMatch = /^\/checkout\/([A-Za-z0-9]+)$/.exec(path);
      if (checkoutMatch) return await checkout(req, res, method, checkoutMatch[1]!);
      const stepsMatch = /^\/_emulator\/transactions\/([A-Za-z0-9.=-]+)\/refund-steps$/.exec(path);
      if (stepsMatch && method === 'POST') {
        const { steps } = parseJson(await readText(req)) as { steps?: RefundStep[] };
        setRefundSteps(stepsMatch[1]!, steps ?? []);
        return sendJson(res, 200, { reference: stepsMatch[1], steps });
      }
      if (path === '/_emulator/transfers/outcome' && method === 'POST') return sendJson(res, 200, transfers.setOutcome(parseJson(await readText(req))));
      sendJson(res, 200, await api(req, method, path, new URLSearchParams((req.url ?? '').split('?')[1] ?? '')));
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpAnswer || e instanceof TransferAnswer) return sendJson(res, e.statusCode, { status: false, message: e.message, ...e.extra });
      log(`paystack error: ${(e as Error)?.stack ?? String(e)}`);
      sendJson(res, 500, { status: false, message: 'An error occurred' });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const address = await listen(server, opts.port ?? 0, host, 'the Paystack emulator needs it (PAYSTACK_PORT)');
  const url = httpOrigin(address);
  if (!publicUrl) publicUrl = url;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      stopped = true;
      for (const [t, done] of timers) {
        clearTimeout(t);
        done();
      }
      timers.clear();
      for (const a of inFlight) a.abort(new Error('emulator stopped'));
      for (const w of waits) {
        clearTimeout(w.timer);
        w.resolve(false);
      }
      waits.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  const idle = async () => {
    // A refund's timer sends its webhook when it fires: look again until nothing new started.
    while (busy.size > 0) await Promise.allSettled([...busy]);
  };

  return { url, port: address.port, transactions, webhookAttempts, deliverWebhook, redeliver, settle, setRefundSteps, transfers, idle, stop };
};
