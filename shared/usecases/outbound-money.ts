/**
 * Paystack's outbound money, one table-stream record at a time:
 * - a refund just recorded as owed: asked of Paystack, once (./refunds.ts); it stays OWED,
 *   visible to operators (GET /admin/refunds?status=OWED), until Paystack takes it;
 * - a new PENDING withdrawal: its transfer asked for, with the withdrawal's reference as
 *   Paystack's idempotency key (./transfers.ts); it stays PENDING, its money held
 *   (GET /admin/withdrawals?status=PENDING), until Paystack answers;
 * - a withdrawal's day-old watch removed by TTL: an alarm metric if it is still unsettled.
 * A failure is thrown, so the record is retried, then dead-lettered (its alarm).
 */
import { WITHDRAWAL_WATCH_SK } from '../data/keys';
import { systemClock } from '../domain/clock';
import { paystack } from '../integrations/paystack';
import { requestOwedRefund } from './refunds';
import { checkWithdrawalAge, initiateTransfer } from './transfers';

const deps = { clock: systemClock, paystack };

export const moveOutboundMoney = async (item: Record<string, unknown>, eventName: string | undefined): Promise<void> => {
  if (eventName === 'REMOVE' && item.sk === WITHDRAWAL_WATCH_SK) {
    await checkWithdrawalAge(String(item.pk).replace(/^WITHDRAWAL#/, ''));
    return;
  }
  if (item.type === 'Withdrawal') {
    if (typeof item.withdrawalId !== 'string') throw new Error('A withdrawal record without an id');
    await initiateTransfer(item.withdrawalId, deps);
    return;
  }
  if (typeof item.reference !== 'string') throw new Error('A refund record without a reference');
  await requestOwedRefund(item.reference, deps);
};
