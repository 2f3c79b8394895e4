import { ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { useNotifications } from './hooks';
import { NotificationItem } from './NotificationItem';

export const NotificationsPage = () => {
  const list = useNotifications();
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="page">
      <h1>Notifications</h1>
      {list.isPending ? <Loading /> : null}
      {list.isError ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? <p className="empty">No notifications yet.</p> : null}
      <ul className="notification-list">
        {items.map((n) => (
          <NotificationItem key={n.id} n={n} />
        ))}
      </ul>
      <LoadMore list={list} />
    </main>
  );
};
