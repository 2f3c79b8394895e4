/**
 * Paystack's wire format, as far as we use it: what we send is strict (a typo is a bug here,
 * not a 400 from Paystack), what we read is loose (Paystack adds fields freely) but typed for
 * the fields we act on. Written from Paystack's API reference (OpenAPI 3.0.1) and its
 * webhook documentation; the local emulator (infra/local/paystack-emulator.ts) answers with
 * exactly these shapes and the contract tests hold both to them.
 */
import * as z from 'zod';
import { CURRENCIES } from '../domain/money';

// ---------------------------------------------------------------- building blocks

/** Paystack: "Only -, ., = and alphanumeric characters allowed." */
export const paystackReference = z.string().regex(/^[A-Za-z0-9.=-]{1,100}$/, 'Must be 1–100 letters, digits, -, . or =');

/** Amounts are integers in the currency's subunit (kobo, pesewas, cents). */
const subunits = z.number().int('Must be a whole number of subunits');

/** Some payloads (refund webhooks) carry amounts as digit strings; accept both, yield a number. */
const lenientSubunits = z.union([subunits, z.string().regex(/^\d+$/).transform(Number)]);

/** Transaction statuses Verify can report. An unpaid initialized transaction reads `abandoned`. */
export const TRANSACTION_STATUSES = ['success', 'failed', 'abandoned', 'ongoing', 'pending', 'processing', 'queued', 'reversed'] as const;
export type PaystackTransactionStatus = (typeof TRANSACTION_STATUSES)[number];

export const REFUND_STATUSES = ['pending', 'processing', 'processed', 'failed', 'needs-attention'] as const;
export type PaystackRefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * Metadata comes back as we sent it (an object), but Paystack types it as `string | object`
 * and sends "" when there was none. `metadataSessionId` reads our session id from any of them.
 */
export const paystackMetadata = z.union([z.record(z.string(), z.unknown()), z.string(), z.null()]);
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
export const paystackErrorBody = z
  .object({
    status: z.boolean().optional(),
    message: z.string(),
    code: z.string().optional(),
    type: z.string().optional(),
  })
  .loose();
export type PaystackErrorBody = z.output<typeof paystackErrorBody>;

// ---------------------------------------------------------------- POST /transaction/initialize

export const initializeRequest = z
  .object({
    email: z.email(),
    /** Spec: `type: integer`, in the smallest denomination. Sent as a JSON number. */
    amount: subunits.positive().max(1_000_000_000_00),
    currency: z.enum(CURRENCIES),
    reference: paystackReference,
    callback_url: z.url({ protocol: /^https?$/ }),
    metadata: z.object({ sessionId: z.string().min(1) }).catchall(z.json()),
    /** Subaccount code (ACCT_…) that receives its share of the payment. */
    subaccount: z.string().regex(/^ACCT_[A-Za-z0-9]+$/).optional(),
    bearer: z.enum(['account', 'subaccount']).optional(),
  })
  .strict();
export type InitializeRequest = z.input<typeof initializeRequest>;

export const initializeResponse = z
  .object({
    status: z.boolean(),
    message: z.string(),
    data: z
      .object({
        authorization_url: z.url(),
        access_code: z.string().min(1),
        reference: z.string().min(1),
      })
      .loose(),
  })
  .loose();
export type InitializeResponse = z.output<typeof initializeResponse>;

// ---------------------------------------------------------------- GET /transaction/verify/:reference

export const verifiedTransaction = z
  .object({
    id: z.number().int(),
    status: z.enum(TRANSACTION_STATUSES),
    reference: z.string(),
    amount: subunits,
    currency: z.string(),
    paid_at: z.string().nullish(),
    channel: z.string().nullish(),
    gateway_response: z.string().nullish(),
    metadata: paystackMetadata.optional(),
    customer: z.object({ email: z.string() }).loose().optional(),
  })
  .loose();
export type VerifiedTransaction = z.output<typeof verifiedTransaction>;

export const verifyResponse = z
  .object({
    status: z.boolean(),
    message: z.string(),
    data: verifiedTransaction,
  })
  .loose();
export type VerifyResponse = z.output<typeof verifyResponse>;

// ---------------------------------------------------------------- POST /refund

export const refundRequest = z
  .object({
    /** Spec: `type: string`, the reference (or the numeric id, as a string) of a paid transaction. */
    transaction: z.string().min(1),
    /** Omitted: the whole amount. Never more than what was paid. */
    amount: subunits.positive().optional(),
    currency: z.enum(CURRENCIES).optional(),
    customer_note: z.string().max(500).optional(),
    merchant_note: z.string().max(500).optional(),
  })
  .strict();
export type RefundRequest = z.input<typeof refundRequest>;

export const refundResponse = z
  .object({
    status: z.boolean(),
    message: z.string(),
    data: z
      .object({
        transaction: z.object({ id: z.number().int().optional(), reference: z.string() }).loose(),
        amount: subunits,
        currency: z.string(),
        status: z.enum(REFUND_STATUSES),
        id: z.number().int().optional(),
      })
      .loose(),
  })
  .loose();
export type RefundResponse = z.output<typeof refundResponse>;

// ---------------------------------------------------------------- webhooks

/** Every webhook: `{ event, data }`, signed with `x-paystack-signature`. */
export const webhookEnvelope = z.object({ event: z.string().min(1), data: z.record(z.string(), z.unknown()) }).loose();

export const chargeSuccessData = z
  .object({
    id: z.number().int().optional(),
    reference: z.string(),
    amount: subunits,
    currency: z.string(),
    status: z.enum(TRANSACTION_STATUSES),
    paid_at: z.string().nullish(),
    channel: z.string().nullish(),
    metadata: paystackMetadata.optional(),
    customer: z.object({ email: z.string() }).loose().optional(),
  })
  .loose();
export type ChargeSuccessData = z.output<typeof chargeSuccessData>;

export const REFUND_EVENTS = ['refund.pending', 'refund.processing', 'refund.processed', 'refund.failed'] as const;
export type RefundEventName = (typeof REFUND_EVENTS)[number];

/**
 * Paystack's refund webhooks name the refunded transaction by `transaction_reference`; the
 * refund itself has a `refund_reference` (null while pending) and sometimes an `id`.
 */
export const refundWebhookData = z
  .object({
    status: z.enum(REFUND_STATUSES),
    transaction_reference: z.string(),
    refund_reference: z.string().nullish(),
    id: z.union([z.number().int(), z.string()]).optional(),
    amount: lenientSubunits,
    currency: z.string(),
  })
  .loose();
export type RefundWebhookData = z.output<typeof refundWebhookData>;

export const chargeSuccessEvent = z.object({ event: z.literal('charge.success'), data: chargeSuccessData }).loose();
export const refundEvent = z.object({ event: z.enum(REFUND_EVENTS), data: refundWebhookData }).loose();

export type PaystackWebhookEvent =
  | z.output<typeof chargeSuccessEvent>
  | z.output<typeof refundEvent>
  /** Any other event (transfer.*, subscription.*, …): not ours to act on, acknowledged as is. */
  | { event: 'unhandled'; name: string; data: Record<string, unknown> };

/**
 * A webhook body (already JSON-parsed): the events we act on are checked field by field (a
 * malformed one fails with issues under `data.…`), any other event passes as `unhandled`.
 */
export const paystackWebhookEvent = webhookEnvelope.transform((envelope, ctx): PaystackWebhookEvent => {
  const known =
    envelope.event === 'charge.success'
      ? chargeSuccessEvent
      : (REFUND_EVENTS as readonly string[]).includes(envelope.event)
        ? refundEvent
        : undefined;
  if (!known) return { event: 'unhandled', name: envelope.event, data: envelope.data };
  const parsed = known.safeParse(envelope);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message, input: envelope });
  return z.NEVER;
});
