/**
 * The tutor's wallet: what can be withdrawn now and what is on its way out, the payout
 * account, "Withdraw" with the withdrawals' history, and the ledger of credits and reversals.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { keys } from '../../app/keys';
import { formatMoney } from '../../lib/money';
import { inFlight } from '../../lib/payout';
import { formatDateTime, viewerZone } from '../../lib/time';
import type { LedgerEntry, LedgerKind, Money, Wallet, Withdrawal } from '../../lib/types';
import { ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { usePayoutAccount, useWallet, useWithdrawals } from './hooks';
import { maskedAccount, PAYOUT_CURRENCY, PayoutAccountSection } from './PayoutAccountSection';
import { WithdrawalsSection } from './WithdrawalsSection';
import { WithdrawDialog } from './WithdrawDialog';

const LEDGER_KINDS: Record<LedgerKind, string> = {
  CREDIT: 'Credit',
  REVERSAL: 'Reversal (refund)',
  PAYOUT: 'Withdrawal paid out',
  PAYOUT_REVERSAL: 'Withdrawal returned by the bank',
};

/** What a ledger entry is about: its session, or the withdrawal (listed above) it paid out. */
const EntrySubject = ({ entry }: { entry: LedgerEntry }) =>
  entry.sessionId ? <Link to={`/mentorship/session/${entry.sessionId}`}>View session</Link> : <span className="muted">Withdrawal</span>;

const zero = (currency: Money['currency']): Money => ({ amount: 0, currency });

/** The balance that can be withdrawn: `available`, or the older `balance` while the API sends only that. */
const availableOf = (w: Wallet | undefined): Money => w?.available ?? w?.balance ?? zero(PAYOUT_CURRENCY);

/**
 * A settled withdrawal moves the balances: when the number in flight changes (the history's
 * refresh saw one settle), the wallet is read again.
 */
const useBalancesFollowWithdrawals = () => {
  const qc = useQueryClient();
  const withdrawals = useWithdrawals();
  const inFlightCount = withdrawals.data?.pages.reduce((n, p) => n + p.items.filter((w) => inFlight(w.status)).length, 0);
  const seen = useRef(inFlightCount);
  useEffect(() => {
    if (seen.current !== undefined && inFlightCount !== seen.current) void qc.invalidateQueries({ queryKey: keys.wallet });
    seen.current = inFlightCount;
  }, [inFlightCount, qc]);
};

const WithdrawAction = ({ available }: { available: Money }) => {
  const account = usePayoutAccount();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState<Withdrawal | null>(null);
  const why =
    account.data === null ? 'Add a payout account below to withdraw.' : available.amount <= 0 ? 'Nothing to withdraw yet: you are credited 70 % of each paid session.' : null;
  return (
    <div>
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setDone(null);
            setOpen(true);
          }}
          disabled={!account.data || available.amount <= 0}
          aria-describedby={why ? 'withdraw-why' : undefined}
        >
          Withdraw
        </button>
        {why ? (
          <span id="withdraw-why" className="muted small">
            {why}
          </span>
        ) : null}
      </div>
      {done ? (
        <p role="status" className="note">
          {formatMoney(done.amount)} is on its way to {maskedAccount(done)}.
        </p>
      ) : null}
      {open && account.data ? (
        <WithdrawDialog
          account={account.data}
          available={available}
          onClose={() => setOpen(false)}
          onWithdrawn={(w) => {
            setDone(w);
            setOpen(false);
          }}
        />
      ) : null}
    </div>
  );
};

export const WalletPage = () => {
  const zone = viewerZone();
  const wallet = useWallet();
  useBalancesFollowWithdrawals();
  const first = wallet.data?.pages[0];
  const entries = wallet.data?.pages.flatMap((p) => p.items) ?? [];
  const available = availableOf(first);
  return (
    <main className="page">
      <h1>Wallet</h1>
      {wallet.isPending ? <Loading label="Loading your wallet…" /> : null}
      {wallet.isError ? <ErrorMessage error={wallet.error} onRetry={() => void wallet.refetch()} /> : null}
      {wallet.isSuccess ? (
        <>
          <dl className="stats">
            <div>
              <dt>Available</dt>
              <dd>{formatMoney(available)}</dd>
            </div>
            <div>
              <dt>Pending</dt>
              <dd>{formatMoney(first?.pending ?? zero(available.currency))}</dd>
            </div>
            <div>
              <dt>Gross revenue</dt>
              <dd>{first?.grossRevenue ? formatMoney(first.grossRevenue) : '—'}</dd>
            </div>
            <div>
              <dt>Your earnings</dt>
              <dd>{first?.tutorEarnings ? formatMoney(first.tutorEarnings) : '—'}</dd>
            </div>
          </dl>
          <WithdrawAction available={available} />
        </>
      ) : null}
      <PayoutAccountSection />
      <WithdrawalsSection />
      {wallet.isSuccess ? (
        <section aria-labelledby="ledger">
          <h2 id="ledger">Ledger</h2>
          {entries.length === 0 ? (
            <p className="empty">No entries yet: you are credited 70 % of each paid session.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="sr-only">Credits, reversals and withdrawals paid out, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Entry</th>
                    <th scope="col">For</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={`${e.reference}-${e.kind}-${e.createdAt}`}>
                      <td>{formatDateTime(e.createdAt, { zone })}</td>
                      <td>{LEDGER_KINDS[e.kind]}</td>
                      <td>
                        <EntrySubject entry={e} />
                      </td>
                      <td className="num">{formatMoney(e.amount)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <LoadMore list={wallet} />
        </section>
      ) : null}
    </main>
  );
};
