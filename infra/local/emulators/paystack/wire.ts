/** The emulator's transactions and refunds, and how Paystack's answers and webhooks describe them. */
import type { PaystackRefundStatus, PaystackTransactionStatus } from '../../../../shared/schemas/paystack';

const INTEGRATION_ID = 100_001;
const DOMAIN = 'test';

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

export const customer = (t: EmulatedTransaction) => ({
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

export const authorization = (t: EmulatedTransaction) =>
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

export const paid = (t: EmulatedTransaction) => t.paidAt !== null;
export const fees = (t: EmulatedTransaction) => (paid(t) ? Math.min(Math.round(t.amount * 0.015), 200_000) : null);

/** GET /transaction/verify and the charge.success webhook carry the same transaction object. */
export const transactionData = (t: EmulatedTransaction) => ({
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

export const refundData = (t: EmulatedTransaction, r: EmulatedRefund) => ({
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
export const refundRecord = (t: EmulatedTransaction, r: EmulatedRefund) => ({
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
export const refundEventData = (t: EmulatedTransaction, r: EmulatedRefund) => ({
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
