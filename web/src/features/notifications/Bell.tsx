/**
 * The bell: its accessible name carries the unread count ("Notifications, 2 unread"); it opens
 * a panel with the newest notifications. A new push is announced politely to screen readers.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorMessage, Loading } from '../../ui/states';
import { useNotificationFeed, useNotifications, useUnreadCount } from './hooks';
import { NotificationItem } from './NotificationItem';

export const bellName = (unread: number): string => `Notifications, ${unread} unread`;

export const Bell = () => {
  const { latest } = useNotificationFeed();
  const unread = useUnreadCount();
  const list = useNotifications();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!wrapper.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  const items = list.data?.pages[0]?.items.slice(0, 8) ?? [];
  return (
    <div className="bell" ref={wrapper}>
      <button ref={button} type="button" className="bell-button" aria-expanded={open} aria-controls={panelId} aria-label={bellName(unread)} onClick={() => setOpen((o) => !o)}>
        <svg aria-hidden="true" width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {unread > 0 ? (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      <div className="sr-only" aria-live="polite">
        {latest ? `New notification: ${latest.title}` : ''}
      </div>
      <section id={panelId} className="bell-panel" hidden={!open} aria-label="Notifications">
        <h2>Notifications</h2>
        {list.isPending ? <Loading /> : list.isError ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.isSuccess && items.length === 0 ? <p className="empty">No notifications yet.</p> : null}
        <ul className="notification-list">
          {items.map((n) => (
            <NotificationItem key={n.id} n={n} onNavigate={() => setOpen(false)} />
          ))}
        </ul>
        <Link to="/notifications" onClick={() => setOpen(false)}>
          All notifications
        </Link>
      </section>
    </div>
  );
};
