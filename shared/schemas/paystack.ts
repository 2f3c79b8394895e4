/**
 * Paystack's wire format, as far as we use it: what we send is strict (a typo is a bug here,
 * not a 400 from Paystack), what we read is loose (Paystack adds fields freely) but typed for
 * the fields we act on. Written from Paystack's API reference (OpenAPI 3.0.1) and its
 * webhook documentation; the local emulator (infra/local/paystack-emulator.ts) answers with
 * exactly these shapes and the contract tests hold both to them.
 */
import { CURRENCIES } from '../domain/money';
import { allOf, integer, nonEmptyString } from './common';
import * as z from './zod';

// ---------------------------------------------------------------- building blocks

/** Paystack: "Only -, ., = and alphanumeric characters allowed." */
export const paystackReference = z.string().check(z.regex(/^[A-Za-z0-9.=-]{1,100}$/, 'Must be 1–100 letters, digits, -, . or ='));

/** Amounts are integers in the currency's subunit (kobo, pesewas, cents). */
const subunits = z.number().check(z.int('Must be a whole number of subunits'));

/** Some payloads (refund webhooks) carry amounts as digit strings; accept both, yield a number. */
const lenientSubunits = z.union([subunits, z.pipe(z.string().check(z.regex(/^\d+$/)), z.transform(Number))]);

/** Transaction statuses Verify can report. An unpaid initialized transaction reads `abandoned`. */
export const TRANSACTION_STATUSES = ['success', 'failed', 'abandoned', 'ongoing', 'pending', 'processing', 'queued', 'reversed'] as const;
export type PaystackTransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'processing', 'processed', 'failed', 'needs-attention'] as const;
export type PaystackRefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * Metadata comes back as we sent it (an object), but Paystack types it as `string | object`
 * and, when there was none, sends "", null or the number 0 (its own charge.success sample
 * does). We find a charge by its reference, never by metadata, so no shape may refuse an
 * event. `metadataSessionId` reads our session id from any of them.
 */
export const paystackMetadata = z.union([z.record(z.string(), z.unknown()), z.string(), z.number(), z.null()]);
export type PaystackMetadata = z.output<typeof paystackMetadata>;

export const metadataSessionId = (metadata: PaystackMetadata | undefined): string | undefined => {
  let m: unknown = metadata;
  if (typeof m === 'string' && m.startsWith('{')) {
    try {
      m = JSON.parse(m);
    } catch {
      return undefined;
    }
  }
  const id = m && typeof m === 'object' ? (m as Record<string, unknown>).sessionId : undefined;
  return typeof id === 'string' && id ? id : undefined;
};

/** Every answer that is not a success: `{ status: false, message, ...code, type, meta }`. */
export const paystackErrorBody = z.looseObject({
  status: z.optional(z.boolean()),
  message: z.string(),
  code: z.optional(z.string()),
  type: z.optional(z.string()),
});
export type PaystackErrorBody = z.output<typeof paystackErrorBody>;

// ---------------------------------------------------------------- POST /transaction/initialize

export const initializeRequest = z.strictObject({
  email: z.email(),
  /** Spec: `type: integer`, in the smallest denomination. Sent as a JSON number. */
  amount: subunits.check(z.positive(), z.maximum(1_000_000_000_00)),
  currency: z.enum(CURRENCIES),
  reference: paystackReference,
  callback_url: z.url({ protocol: /^https?$/ }),
  metadata: z.catchall(z.object({ sessionId: nonEmptyString }), z.json()),
  /** Subaccount code (ACCT_…) that receives its share of the payment. */
  subaccount: z.optional(z.string().check(z.regex(/^ACCT_[A-Za-z0-9]+$/))),
  bearer: z.optional(z.enum(['account', 'subaccount'])),
});
export type InitializeRequest = z.input<typeof initializeRequest>;

export const initializeResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.looseObject({
    authorization_url: z.url(),
    access_code: nonEmptyString,
    reference: nonEmptyString,
  }),
});
export type InitializeResponse = z.output<typeof initializeResponse>;

// ---------------------------------------------------------------- GET /transaction/verify/:reference

export const verifiedTransaction = z.looseObject({
  id: integer(),
  status: z.enum(TRANSACTION_STATUSES),
  reference: z.string(),
  amount: subunits,
  currency: z.string(),
  paid_at: z.nullish(z.string()),
  channel: z.nullish(z.string()),
  gateway_response: z.nullish(z.string()),
  metadata: z.optional(paystackMetadata),
  customer: z.optional(z.looseObject({ email: z.string() })),
});
export type VerifiedTransaction = z.output<typeof verifiedTransaction>;

export const verifyResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: verifiedTransaction,
});
export type VerifyResponse = z.output<typeof verifyResponse>;

// ---------------------------------------------------------------- POST /refund

export const refundRequest = z.strictObject({
  /** Spec: `type: string`, the reference (or the numeric id, as a string) of a paid transaction. */
  transaction: nonEmptyString,
  /** Omitted: the whole amount. Never more than what was paid. */
  amount: z.optional(subunits.check(z.positive())),
  currency: z.optional(z.enum(CURRENCIES)),
  customer_note: z.optional(z.string().check(z.maxLength(500))),
  merchant_note: z.optional(z.string().check(z.maxLength(500))),
});
export type RefundRequest = z.input<typeof refundRequest>;

export const refundResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.looseObject({
    transaction: z.looseObject({ id: z.optional(integer()), reference: z.string() }),
    amount: subunits,
    currency: z.string(),
    status: z.enum(REFUND_STATUSES),
    id: z.optional(integer()),
  }),
});
export type RefundResponse = z.output<typeof refundResponse>;

// ---------------------------------------------------------------- GET /refund, GET /refund/:id

/**
 * A refund as Paystack lists it: `transaction_reference` names the refunded transaction,
 * `status` is where the refund is (`processed`: the money went back). Read loosely: only
 * these fields are acted on, and a status Paystack adds later must not break the list.
 */
export const paystackRefund = z.looseObject({
  id: integer(),
  transaction_reference: z.nullish(z.string()),
  amount: lenientSubunits,
  currency: z.string(),
  status: z.string(),
  merchant_note: z.nullish(z.string()),
  createdAt: z.nullish(z.string()),
});
export type PaystackRefund = z.output<typeof paystackRefund>;

/** `from`/`to` bound the refunds' creation time; pages count from 1. */
export const refundListQuery = z.strictObject({
  from: z.optional(z.iso.datetime()),
  to: z.optional(z.iso.datetime()),
  perPage: z.optional(integer().check(z.positive(), z.maximum(100))),
  page: z.optional(integer().check(z.positive())),
});
export type RefundListQuery = z.input<typeof refundListQuery>;

export const refundListResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.array(paystackRefund),
  meta: z.optional(z.looseObject({ page: z.optional(integer()), pageCount: z.optional(integer()) })),
});
export type RefundListResponse = z.output<typeof refundListResponse>;

// ---------------------------------------------------------------- webhooks

/** Every webhook: `{ event, data }`, signed with `x-paystack-signature`. */
export const webhookEnvelope = z.looseObject({ event: nonEmptyString, data: z.record(z.string(), z.unknown()) });

export const chargeSuccessData = z.looseObject({
  id: z.optional(integer()),
  reference: z.string(),
  amount: subunits,
  currency: z.string(),
  status: z.enum(TRANSACTION_STATUSES),
  paid_at: z.nullish(z.string()),
  channel: z.nullish(z.string()),
  metadata: z.optional(paystackMetadata),
  customer: z.optional(z.looseObject({ email: z.string() })),
});
export type ChargeSuccessData = z.output<typeof chargeSuccessData>;

export const REFUND_EVENTS = ['refund.pending', 'refund.processing', 'refund.processed', 'refund.failed', 'refund.needs-attention'] as const;
export type RefundEventName = (typeof REFUND_EVENTS)[number];

/**
 * Paystack's refund webhooks name the refunded transaction by `transaction_reference`; the
 * refund itself has a `refund_reference` (null while pending) and sometimes an `id`.
 */
export const refundWebhookData = z.looseObject({
  status: z.enum(REFUND_STATUSES),
  transaction_reference: z.string(),
  refund_reference: z.nullish(z.string()),
  id: z.optional(z.union([integer(), z.string()])),
  amount: lenientSubunits,
  currency: z.string(),
});
export type RefundWebhookData = z.output<typeof refundWebhookData>;

export const chargeSuccessEvent = z.looseObject({ event: z.literal('charge.success'), data: chargeSuccessData });
export const refundEvent = z.looseObject({ event: z.enum(REFUND_EVENTS), data: refundWebhookData });

export type PaystackWebhookEvent =
  | z.output<typeof chargeSuccessEvent>
  | z.output<typeof refundEvent>
  /** Any other event (transfer.*, subscription.*, …): not ours to act on, acknowledged as is. */
  | { event: 'unhandled'; name: string; data: Record<string, unknown> };

/**
 * A webhook body (already JSON-parsed): the events we act on are checked field by field (a
 * malformed one fails with issues under `data.…`), any other event passes as `unhandled`.
 */
export const paystackWebhookEvent = z.pipe(
  webhookEnvelope,
  z.transform((envelope: z.output<typeof webhookEnvelope>, ctx): PaystackWebhookEvent => {
    const known = envelope.event === 'charge.success' ? chargeSuccessEvent : (REFUND_EVENTS as readonly string[]).includes(envelope.event) ? refundEvent : undefined;
    if (!known) return { event: 'unhandled', name: envelope.event, data: envelope.data };
    const parsed = known.safeParse(envelope);
    if (parsed.success) return parsed.data;
    // zod/mini's transform context has no addIssue: report through its issue list.
    for (const issue of parsed.error.issues) ctx.issues.push({ code: 'custom', path: issue.path, message: issue.message, input: envelope });
    return z.NEVER;
  }),
);

// ---------------------------------------------------------------- our answer

/** What a webhook event came to (shared/usecases/payments.ts). */
export type WebhookOutcome = 'credited' | 'duplicate' | 'unknown-reference' | 'not-paid' | 'rejected' | 'orphaned' | 'refunded' | 'refund-failed' | 'unconfirmed' | 'ignored';

const WEBHOOK_OUTCOMES = allOf<WebhookOutcome>({
  credited: true,
  duplicate: true,
  'unknown-reference': true,
  'not-paid': true,
  rejected: true,
  orphaned: true,
  refunded: true,
  'refund-failed': true,
  unconfirmed: true,
  ignored: true,
});

/** POST /webhooks/paystack: what the event came to (also for an event handled before). */
export const paystackWebhookResponse = z.strictObject({ received: z.literal(true), outcome: z.enum(WEBHOOK_OUTCOMES) });
