/**
 * Paystack's wire format, as far as we use it: what we send is strict (a typo is a bug here,
 * not a 400 from Paystack), what we read is loose (Paystack adds fields freely) but typed for
 * the fields we act on. Written from Paystack's API reference (OpenAPI 3.0.1) and its
 * webhook documentation; the local emulator (infra/local/emulators/paystack/) answers with
 * exactly these shapes and the contract tests hold both to them.
 */
import { CURRENCIES } from '../domain/money';
import { allOf, integer, nonEmptyString } from './primitives';
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

// ---------------------------------------------------------------- transfers: banks, recipients, transfers

/** GET /bank: the banks of a currency (one page; `perPage` up to 100, cursor pagination via `next`). */
export const paystackBank = z.looseObject({ name: z.string(), code: z.string(), currency: z.nullish(z.string()), active: z.nullish(z.boolean()), type: z.nullish(z.string()) });
export const bankListResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.array(paystackBank),
  meta: z.optional(z.looseObject({ next: z.nullish(z.string()) })),
});
export type PaystackBank = z.output<typeof paystackBank>;

/** A NUBAN is ten digits; other countries' numbers differ, but only NGN is paid out here. */
export const accountNumber = z.string().check(z.regex(/^\d{10}$/, 'Must be 10 digits'));
export const bankCode = z.string().check(z.regex(/^[0-9A-Za-z]{2,12}$/, 'Must be a bank code from GET /banks'));

/** GET /bank/resolve?account_number=&bank_code= */
export const resolveAccountQuery = z.strictObject({ account_number: accountNumber, bank_code: bankCode });
export type ResolveAccountQuery = z.input<typeof resolveAccountQuery>;
export const resolveAccountResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.looseObject({ account_number: z.string(), account_name: nonEmptyString, bank_id: z.optional(integer()) }),
});

/** POST /transferrecipient (a duplicate account answers the existing recipient). */
export const createRecipientRequest = z.strictObject({
  type: z.literal('nuban'),
  name: nonEmptyString,
  account_number: accountNumber,
  bank_code: bankCode,
  currency: z.enum(CURRENCIES),
  description: z.optional(z.string()),
});
export type CreateRecipientRequest = z.input<typeof createRecipientRequest>;
export const createRecipientResponse = z.looseObject({
  status: z.boolean(),
  message: z.string(),
  data: z.looseObject({
    recipient_code: z.string().check(z.regex(/^RCP_[A-Za-z0-9]+$/)),
    details: z.looseObject({ account_number: z.nullish(z.string()), account_name: z.nullish(z.string()), bank_code: z.string(), bank_name: z.string() }),
  }),
});
export type CreateRecipientResponse = z.output<typeof createRecipientResponse>;

/** Paystack: "a lowercase alphanumeric string with only -,_ symbols allowed", at least 16 characters. */
export const transferReference = z.string().check(z.regex(/^[a-z0-9_-]{16,100}$/, 'Must be 16–100 lowercase letters, digits, - or _'));

/** POST /transfer: `reference` is the idempotency key (the same reference again answers the same transfer). */
export const transferRequest = z.strictObject({
  source: z.literal('balance'),
  amount: subunits.check(z.positive()),
  recipient: z.string().check(z.regex(/^RCP_[A-Za-z0-9]+$/)),
  reference: transferReference,
  reason: z.optional(z.string().check(z.maxLength(100))),
  currency: z.enum(CURRENCIES),
});
export type TransferRequest = z.input<typeof transferRequest>;

/** Transfer statuses Paystack lists: pending, otp, received, success, failed, reversed, abandoned, blocked, rejected. */
export const transferData = z.looseObject({
  reference: z.string(),
  amount: subunits,
  currency: z.string(),
  status: z.string(),
  transfer_code: z.string(),
  reason: z.nullish(z.string()),
  failures: z.optional(z.unknown()),
});
export type TransferData = z.output<typeof transferData>;
export const transferResponse = z.looseObject({ status: z.boolean(), message: z.string(), data: transferData });
/** GET /transfer/verify/:reference: the transfer as Paystack has it now (recipient expanded). */
export const verifyTransferResponse = z.looseObject({ status: z.boolean(), message: z.string(), data: transferData });

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

export const TRANSFER_EVENTS = ['transfer.success', 'transfer.failed', 'transfer.reversed'] as const;
/** A transfer webhook says which transfer; only Paystack's Verify Transfer says what became of it. */
export const transferEvent = z.looseObject({ event: z.enum(TRANSFER_EVENTS), data: z.looseObject({ reference: z.string() }) });

export const chargeSuccessEvent = z.looseObject({ event: z.literal('charge.success'), data: chargeSuccessData });
export const refundEvent = z.looseObject({ event: z.enum(REFUND_EVENTS), data: refundWebhookData });

export type PaystackWebhookEvent =
  | z.output<typeof chargeSuccessEvent>
  | z.output<typeof refundEvent>
  | z.output<typeof transferEvent>
  /** Any other event (subscription.*, …): not ours to act on, acknowledged as is. */
  | { event: 'unhandled'; name: string; data: Record<string, unknown> };

/**
 * A webhook body (already JSON-parsed): the events we act on are checked field by field (a
 * malformed one fails with issues under `data.…`), any other event passes as `unhandled`.
 */
export const paystackWebhookEvent = z.pipe(
  webhookEnvelope,
  z.transform((envelope: z.output<typeof webhookEnvelope>, ctx): PaystackWebhookEvent => {
    const known =
      envelope.event === 'charge.success'
        ? chargeSuccessEvent
        : (REFUND_EVENTS as readonly string[]).includes(envelope.event)
          ? refundEvent
          : (TRANSFER_EVENTS as readonly string[]).includes(envelope.event)
            ? transferEvent
            : undefined;
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
export type WebhookOutcome =
  | 'credited'
  | 'duplicate'
  | 'unknown-reference'
  | 'not-paid'
  | 'rejected'
  | 'orphaned'
  | 'refunded'
  | 'refund-failed'
  | 'unconfirmed'
  | 'ignored'
  | 'withdrawal-succeeded'
  | 'withdrawal-failed'
  | 'withdrawal-reversed';

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
  'withdrawal-succeeded': true,
  'withdrawal-failed': true,
  'withdrawal-reversed': true,
});

/** POST /webhooks/paystack: what the event came to (also for an event handled before). */
export const paystackWebhookResponse = z.strictObject({ received: z.literal(true), outcome: z.enum(WEBHOOK_OUTCOMES) });
