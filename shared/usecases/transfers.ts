/**
 * Paystack Transfers for withdrawals: the transfer asked for from the table stream, and the
 * outcome settled exactly once. As with charges and refunds, a webhook only says "look": what
 * is settled is what Paystack's Verify Transfer says of the withdrawal's reference. The
 * reference is Paystack's idempotency key for the transfer, so a consumer run again on the same
 * record (a retry, a restart) gets the transfer made the first time, never a second one.
 */
import { systemClock, type Clock } from '../domain/clock';
import { IN_FLIGHT, settledStatus, transferReason, withdrawalIdOf, type Withdrawal } from '../domain/withdrawal';
import { getWithdrawal, markProcessing, settleWithdrawal } from '../data/withdrawals';
import { recordAttempt } from '../data/attempts';
import { accountInboxWrites } from './notify';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import type { TransferData } from '../schemas/paystack';
import { logger } from '../observability/logger';
import { count } from '../observability/metrics';

export interface TransferDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'transfer' | 'verifyTransfer'>;
}

export const defaultTransferDeps: TransferDeps = { clock: systemClock, paystack: paystackClient };

export type TransferOutcome = 'withdrawal-succeeded' | 'withdrawal-failed' | 'withdrawal-reversed' | 'duplicate' | 'unconfirmed' | 'unknown-reference' | 'rejected';

const FAILURE_REASONS: Record<'FAILED' | 'REVERSED', string> = {
  FAILED: 'The bank did not accept the transfer',
  REVERSED: 'The bank sent the transfer back',
};

/** Paystack's transfer as it says, settled once: status, money, ledger and the tutor told, in one transaction. */
const settleWith = async (
  w: Withdrawal,
  to: 'SUCCEEDED' | 'FAILED' | 'REVERSED',
  transfer: Pick<TransferData, 'transfer_code'> | undefined,
  reason: string | undefined,
  deps: TransferDeps,
) => {
  const at = deps.clock().toISOString();
  const failureReason = to === 'SUCCEEDED' ? undefined : (reason ?? FAILURE_REASONS[to]);
  const fields: Partial<Withdrawal> = {
    updatedAt: at,
    settledAt: at,
    ...(transfer?.transfer_code ? { transferCode: transfer.transfer_code } : {}),
    ...(failureReason ? { failureReason } : {}),
  };
  const notice = accountInboxWrites(
    w.tutorId,
    to === 'SUCCEEDED' ? 'WITHDRAWAL_SUCCEEDED' : 'WITHDRAWAL_FAILED',
    `${w.withdrawalId}#${to}`,
    { amount: w.amount, bankName: w.bankName, accountNumberLast4: w.accountNumberLast4, ...(failureReason ? { reason: failureReason } : {}) },
    deps.clock,
  );
  if (!(await settleWithdrawal(w, to, fields, at, notice))) return 'duplicate' as const;
  if (to === 'SUCCEEDED') count('WithdrawalsPaid');
  else {
    logger.warn('Withdrawal failed; the money went back to the wallet', { withdrawalId: w.withdrawalId, to, failureReason });
    count('WithdrawalFailures');
  }
  return to === 'SUCCEEDED' ? ('withdrawal-succeeded' as const) : to === 'FAILED' ? ('withdrawal-failed' as const) : ('withdrawal-reversed' as const);
};

/** Whether Paystack's transfer is the withdrawal's (its Verify answer for our reference). */
const matches = (w: Withdrawal, t: TransferData) => t.reference === w.reference && t.amount === w.amount.amount && t.currency === w.amount.currency;

/**
 * A transfer.* webhook for `reference`: Verify Transfer decides. A withdrawal settled
 * already, a reference that is not ours, or a transfer Paystack does not confirm changes
 * nothing.
 */
export const settleTransfer = async (reference: string, deps: TransferDeps = defaultTransferDeps): Promise<TransferOutcome> => {
  const id = withdrawalIdOf(reference);
  const w = id ? await getWithdrawal(id) : undefined;
  if (!w) {
    logger.warn('A transfer webhook for a reference we did not issue', { reference });
    return 'unknown-reference';
  }
  if (w.status === 'FAILED' || w.status === 'REVERSED') return 'duplicate';
  let t: TransferData;
  try {
    t = await deps.paystack.verifyTransfer(w.reference);
  } catch (e) {
    if (isPaystackError(e, 'NOT_FOUND')) {
      logger.warn('A transfer webhook Paystack does not confirm', { reference });
      return 'unconfirmed';
    }
    throw e;
  }
  if (!matches(w, t)) {
    logger.error('Paystack’s transfer does not match the withdrawal', { reference, amount: t.amount, currency: t.currency });
    return 'rejected';
  }
  const to = settledStatus(t.status);
  if (!to) return 'unconfirmed';
  if (w.status === 'SUCCEEDED' && to !== 'REVERSED') return 'duplicate';
  return settleWith(w, to, t, undefined, deps);
};

export type InitiateOutcome = 'requested' | 'found' | 'settled' | 'failed' | 'nothing-to-do';

/**
 * The stream consumer's work for a new PENDING withdrawal: ask Paystack for the transfer, with
 * the withdrawal's reference as the idempotency key, then PENDING → PROCESSING. A refusal
 * (a 4xx) is judged by Paystack's state: a transfer Verify finds under the reference was made
 * (an earlier attempt's answer was lost); none means it never will be: FAILED, money back.
 * Anything else (timeouts, 5xx, after the client's retries) is recorded on the withdrawal and
 * thrown: the stream retries the record, then dead-letters it (its alarm); the withdrawal stays
 * PENDING, its money held, for an operator.
 */
export const initiateTransfer = async (withdrawalId: string, deps: TransferDeps = defaultTransferDeps): Promise<InitiateOutcome> => {
  const w = await getWithdrawal(withdrawalId);
  if (w?.status !== 'PENDING') return 'nothing-to-do';
  const accepted = async (t: TransferData, outcome: 'requested' | 'found'): Promise<InitiateOutcome> => {
    if (!matches(w, t)) throw new Error(`Paystack's transfer ${t.reference} does not match withdrawal ${w.withdrawalId}`);
    const to = settledStatus(t.status);
    if (to) return (await settleWith(w, to, t, undefined, deps)) === 'duplicate' ? 'nothing-to-do' : 'settled';
    await markProcessing(w, { transferCode: t.transfer_code, updatedAt: deps.clock().toISOString() });
    logger.info('Transfer accepted by Paystack', { withdrawalId, reference: w.reference, status: t.status, outcome });
    return outcome;
  };
  try {
    try {
      const t = await deps.paystack.transfer({
        source: 'balance',
        amount: w.amount.amount,
        recipient: w.recipientCode,
        reference: w.reference,
        reason: transferReason(w),
        currency: w.amount.currency,
      });
      return await accepted(t, 'requested');
    } catch (e) {
      if (!isPaystackError(e, 'REJECTED') && !isPaystackError(e, 'NOT_FOUND')) throw e;
      let found: TransferData | undefined;
      try {
        found = await deps.paystack.verifyTransfer(w.reference);
      } catch (v) {
        if (!isPaystackError(v, 'NOT_FOUND')) throw v;
      }
      if (found) return await accepted(found, 'found');
      const outcome = await settleWith(w, 'FAILED', undefined, `Paystack refused the transfer: ${e.message.replace(/^Paystack transfer: /, '')}`, deps);
      return outcome === 'duplicate' ? 'nothing-to-do' : 'failed';
    }
  } catch (e) {
    const error = isPaystackError(e) ? `${e.code}${e.status ? ` ${e.status}` : ''}: ${e.message}` : String(e);
    await recordAttempt('withdrawal', withdrawalId, error, deps.clock().toISOString());
    throw e;
  }
};

/**
 * A withdrawal's day-old watch expired: if the withdrawal is still unsettled, an operator must
 * look (WithdrawalsStuck, its alarm). The money stays held: only Paystack's word moves it.
 */
export const checkWithdrawalAge = async (withdrawalId: string): Promise<'stuck' | 'settled' | 'unknown'> => {
  const w = await getWithdrawal(withdrawalId);
  if (!w) return 'unknown';
  if (!IN_FLIGHT.includes(w.status)) return 'settled';
  logger.error('Withdrawal unsettled a day after it was made', { withdrawalId, status: w.status, reference: w.reference, createdAt: w.createdAt });
  count('WithdrawalsStuck');
  return 'stuck';
};
