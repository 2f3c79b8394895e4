/**
 * POST /webhooks/paystack: its signature, and each event handed to what it settles: a charge
 * (./payments.ts), a refund (./refund-settlement.ts), a withdrawal's transfer (./transfers.ts).
 * An event is only a trigger: each settles what Paystack's own API says, exactly once.
 */
import { systemClock } from '../domain/clock';
import { UnauthorizedError } from '../domain/errors';
import { paystack as paystackClient, paystackSecretKey, verifyWebhookSignature } from '../integrations/paystack';
import { bookingWorkflow } from '../integrations/workflow';
import type { PaystackWebhookEvent, WebhookOutcome } from '../schemas/paystack';
import { notify as notifyInbox } from './notify';
import { settleCharge, type ChargeDeps } from './payments';
import { settleRefund, type RefundDeps } from './refund-settlement';
import { settleTransfer, type TransferDeps } from './transfers';

export type PaystackWebhookDeps = ChargeDeps & RefundDeps & TransferDeps;

export const defaultPaystackWebhookDeps: PaystackWebhookDeps = { clock: systemClock, paystack: paystackClient, workflow: bookingWorkflow, notify: notifyInbox };

/**
 * The signature check, run by the HTTP chain on the exact bytes received before anything is
 * read (httpHandler's `signature`): x-paystack-signature must be the HMAC-SHA512 of the raw
 * body keyed with our secret key (shared/integrations/paystack.ts).
 */
export const verifyPaystackWebhook = async (rawBody: Buffer, headers: Readonly<Record<string, string | undefined>>, secretKey = paystackSecretKey): Promise<void> => {
  if (!verifyWebhookSignature(rawBody, headers['x-paystack-signature'], await secretKey())) throw new UnauthorizedError('Missing or invalid x-paystack-signature');
};

export const paystackWebhook = async (event: PaystackWebhookEvent, deps: PaystackWebhookDeps = defaultPaystackWebhookDeps): Promise<WebhookOutcome> => {
  switch (event.event) {
    case 'charge.success':
      return settleCharge(event.data.reference, deps);
    // Every refund event only makes us look at what Paystack itself says of the transaction.
    case 'refund.pending':
    case 'refund.processing':
    case 'refund.processed':
    case 'refund.failed':
      return settleRefund(event.data.transaction_reference, deps, event.event);
    // A transfer event too: Verify Transfer says what became of our withdrawal.
    case 'transfer.success':
    case 'transfer.failed':
    case 'transfer.reversed':
      return settleTransfer(event.data.reference, deps);
    default:
      return 'ignored';
  }
};
