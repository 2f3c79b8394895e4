/**
 * Paystack's rules for the requests we send, from its published API description (required
 * fields, types, enums), written independently of our client's schemas: a request our client
 * builds but Paystack would refuse is refused here too. Unknown fields are ignored, as Paystack does.
 */
import * as z from '../../../../shared/schemas/zod';

/** The currencies Paystack's description lists (`Currency`). */
const PAYSTACK_CURRENCIES = ['GHS', 'KES', 'NGN', 'ZAR', 'USD'] as const;
/** What an initialize without `currency` is in: the integration's own currency. */
export const INTEGRATION_CURRENCY = 'NGN';
const CHANNELS = ['card', 'bank', 'ussd', 'qr', 'eft', 'mobile_money', 'bank_transfer'] as const;
const wholeNumber = z.number().check(z.int('must be an integer'));

/** `TransactionInitialize`: email and amount required; the rest optional; unknown fields ignored. */
export const initializeBody = z.looseObject({
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
export const refundBody = z.looseObject({
  transaction: z.string().check(z.minLength(1)),
  amount: z.optional(wholeNumber.check(z.positive())),
  currency: z.optional(z.enum(PAYSTACK_CURRENCIES)),
  customer_note: z.optional(z.string()),
  merchant_note: z.optional(z.string()),
});

/** The statuses a refund may go through after `pending`; the last of a script must end it. */
export const REFUND_STEPS = ['processing', 'processed', 'failed', 'needs-attention'] as const;
export type RefundStep = (typeof REFUND_STEPS)[number];
export const refundSteps = z.array(z.enum(REFUND_STEPS)).check(
  z.minLength(1),
  z.refine((steps) => steps.at(-1) !== 'processing', 'The last step must end the refund: processed, failed or needs-attention'),
);
