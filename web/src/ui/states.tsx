/** The states every list and action can be in: loading, failed (in words), empty. */
import type { ReactNode } from 'react';
import { describeError } from '../lib/errors';

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <p role="status" className="muted">
    {label}
  </p>
);

export const ErrorMessage = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => (
  <div role="alert" className="error">
    <p>{describeError(error)}</p>
    {onRetry ? (
      <button type="button" onClick={onRetry}>
        Try again
      </button>
    ) : null}
  </div>
);

/** The next page of an infinite list, while there is one. */
export const LoadMore = ({ list }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) =>
  list.hasNextPage ? (
    <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
      {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
    </button>
  ) : null;

export const Empty = ({ children }: { children: ReactNode }) => <p className="empty">{children}</p>;

/** Loading, error or the content, for one query. */
export const QueryState = <T,>({
  query,
  children,
  loadingLabel,
}: {
  query: { isPending: boolean; isError: boolean; error: unknown; data: T | undefined; refetch: () => unknown };
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) => {
  if (query.isPending) return <Loading {...(loadingLabel ? { label: loadingLabel } : {})} />;
  if (query.isError || query.data === undefined) return <ErrorMessage error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
};

export const Badge = ({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) => (
  <span className={`badge badge-${tone}`}>{children}</span>
);
