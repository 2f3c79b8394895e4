import { Link } from 'react-router';
import { formatDateTime, viewerZone } from '../../lib/time';
import type { Notification } from '../../lib/types';
import { useMarkRead } from './hooks';
import { describeError } from '../../lib/errors';

const isPath = (href: string) => href.startsWith('/') && !href.startsWith('//');

export const NotificationItem = ({ n, onNavigate }: { n: Notification; onNavigate?: () => void }) => {
  const markRead = useMarkRead();
  const unread = !n.readAt;
  const open = () => {
    if (unread) markRead.mutate(n.id);
    onNavigate?.();
  };
  return (
    <li className={unread ? 'notification unread' : 'notification'}>
      <p className="notification-title">
        {unread ? <span className="dot" aria-label="Unread" role="img" /> : null}
        <strong>{n.title}</strong>
      </p>
      <p>{n.body}</p>
      <p className="muted small">{formatDateTime(n.createdAt, { zone: viewerZone() })}</p>
      <div className="actions">
        {isPath(n.action.href) ? (
          <Link to={n.action.href} onClick={open}>
            {n.action.label}
          </Link>
        ) : (
          <a href={n.action.href} onClick={open}>
            {n.action.label}
          </a>
        )}
        {unread ? (
          <button type="button" onClick={() => markRead.mutate(n.id)} disabled={markRead.isPending} aria-label={`Mark read: ${n.title}`}>
            Mark read
          </button>
        ) : null}
      </div>
      {markRead.isError ? (
        <p role="alert" className="error">
          {describeError(markRead.error)}
        </p>
      ) : null}
    </li>
  );
};
