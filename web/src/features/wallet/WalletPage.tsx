/** The tutor's wallet: balance, revenue, and the ledger of credits and reversals. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { formatMoney } from '../../lib/money';
import { formatDateTime, viewerZone } from '../../lib/time';
import { ErrorMessage, Loading, LoadMore } from '../../ui/states';

export const WalletPage = () => {
  const api = useApi();
  const zone = viewerZone();
  const wallet = useInfiniteQuery({
    queryKey: keys.wallet,
    queryFn: ({ pageParam }) => api.wallet(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const first = wallet.data?.pages[0];
  const entries = wallet.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="page">
      <h1>Wallet</h1>
      {wallet.isPending ? <Loading label="Loading your wallet…" /> : null}
      {wallet.isError ? <ErrorMessage error={wallet.error} onRetry={() => void wallet.refetch()} /> : null}
      {first ? (
        <dl className="stats">
          <div>
            <dt>Balance</dt>
            <dd>{first.balance ? formatMoney(first.balance) : '—'}</dd>
          </div>
          <div>
            <dt>Gross revenue</dt>
            <dd>{first.grossRevenue ? formatMoney(first.grossRevenue) : '—'}</dd>
          </div>
          <div>
            <dt>Your earnings</dt>
            <dd>{first.tutorEarnings ? formatMoney(first.tutorEarnings) : '—'}</dd>
          </div>
        </dl>
      ) : null}
      {wallet.isSuccess ? (
        <section aria-labelledby="ledger">
          <h2 id="ledger">Ledger</h2>
          {entries.length === 0 ? (
            <p className="empty">No entries yet: you are credited 70 % of each paid session.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="sr-only">Credits and reversals, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Entry</th>
                    <th scope="col">Session</th>
                    <th scope="col" className="num">
                      Amount
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={`${e.reference}-${e.kind}-${e.createdAt}`}>
                      <td>{formatDateTime(e.createdAt, { zone })}</td>
                      <td>{e.kind === 'CREDIT' ? 'Credit' : 'Reversal (refund)'}</td>
                      <td>
                        <Link to={`/mentorship/session/${e.sessionId}`}>View session</Link>
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
