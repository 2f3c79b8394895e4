/** The tutor's withdrawals, newest first: how much, to which account, and where each stands. */
import { formatMoney } from '../../lib/money';
import { WITHDRAWAL_STATUS } from '../../lib/payout';
import { formatDateTime, viewerZone } from '../../lib/time';
import type { Withdrawal } from '../../lib/types';
import { Badge, Empty, ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { useWithdrawals } from './hooks';
import { maskedAccount } from './PayoutAccountSection';

const WithdrawalItem = ({ w, zone }: { w: Withdrawal; zone: string }) => {
  const status = WITHDRAWAL_STATUS[w.status];
  const title = `${formatMoney(w.amount)} to ${maskedAccount(w)}`;
  return (
    <li className="card withdrawal" aria-label={title}>
      <p className="withdrawal-head">
        <strong>{formatMoney(w.amount)}</strong> <Badge tone={status.tone}>{status.label}</Badge>
      </p>
      <p className="muted small">
        To {w.bankName} <span aria-hidden="true">••••</span>
        <span className="sr-only">ending in </span>
        {w.accountNumberLast4} · requested {formatDateTime(w.createdAt, { zone })}
        {w.settledAt ? ` · settled ${formatDateTime(w.settledAt, { zone })}` : ''}
      </p>
      {w.status === 'FAILED' || w.status === 'REVERSED' ? (
        <p className="small">{w.failureReason ? w.failureReason.replace(/\.?$/, '. ') : ''}The money is back in your available balance.</p>
      ) : null}
    </li>
  );
};

export const WithdrawalsSection = () => {
  const withdrawals = useWithdrawals();
  const zone = viewerZone();
  const items = withdrawals.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="withdrawals" className="wallet-part">
      <h2 id="withdrawals">Withdrawals</h2>
      {withdrawals.isPending ? <Loading label="Loading your withdrawals…" /> : null}
      {withdrawals.isError ? <ErrorMessage error={withdrawals.error} onRetry={() => void withdrawals.refetch()} /> : null}
      {withdrawals.isSuccess && items.length === 0 ? <Empty>No withdrawals yet.</Empty> : null}
      {items.length > 0 ? (
        <ul className="list" aria-labelledby="withdrawals">
          {items.map((w) => (
            <WithdrawalItem key={w.withdrawalId} w={w} zone={zone} />
          ))}
        </ul>
      ) : null}
      <LoadMore list={withdrawals} />
    </section>
  );
};
