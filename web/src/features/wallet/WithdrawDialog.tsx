/** "Withdraw": an amount in major units, sent as integer minor units; the server's refusal shown in the tutor's words. */
import { useId, useState, type SubmitEvent } from 'react';
import { formatMoney } from '../../lib/money';
import { withdrawalAmountFrom } from '../../lib/payout';
import type { Money, PayoutAccount, Withdrawal } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/states';
import { useWithdraw } from './hooks';
import { maskedAccount } from './PayoutAccountSection';

export const WithdrawDialog = ({
  account,
  available,
  onClose,
  onWithdrawn,
}: {
  account: PayoutAccount;
  available: Money;
  onClose: () => void;
  onWithdrawn: (w: Withdrawal) => void;
}) => {
  const withdraw = useWithdraw();
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const check = withdrawalAmountFrom(typed, available.currency);
    setProblem(check.ok ? null : check.problem);
    if (!check.ok) return;
    withdraw.mutate(check.amount, { onSuccess: onWithdrawn });
  };
  return (
    <Dialog open title={`Withdraw to ${maskedAccount(account)}`} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        <p className="muted">
          Available now: <strong>{formatMoney(available)}</strong>. Paid to {account.accountName}.
        </p>
        <label>
          Amount
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            inputMode="decimal"
            autoComplete="off"
            required
            aria-invalid={Boolean(problem)}
            aria-describedby={`${id}-amount`}
          />
        </label>
        <p id={`${id}-amount`} className={problem ? 'error' : 'muted small'} role={problem ? 'alert' : undefined}>
          {problem ?? `In ${available.currency}, e.g. 5000 or 5000.50.`}
        </p>
        {withdraw.isError ? <ErrorMessage error={withdraw.error} /> : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={withdraw.isPending}>
            {withdraw.isPending ? 'Withdrawing…' : 'Confirm withdrawal'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
};
