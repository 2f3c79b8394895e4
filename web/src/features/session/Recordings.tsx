/** The session's cloud recordings, once it has begun. */
import type { SessionPage as SessionData } from '../../lib/types';
import { ErrorMessage, Loading } from '../../ui/states';
import { useRecordings } from './hooks';

export const Recordings = ({ s }: { s: SessionData }) => {
  const show = s.status === 'IN_PROGRESS' || s.status === 'COMPLETED';
  const recordings = useRecordings(s.id, show);
  if (!show) return null;
  return (
    <section aria-labelledby="recordings" className="card">
      <h2 id="recordings">Recordings</h2>
      {recordings.isPending ? <Loading label="Loading recordings…" /> : null}
      {recordings.isError ? <ErrorMessage error={recordings.error} onRetry={() => void recordings.refetch()} /> : null}
      {recordings.isSuccess && recordings.data.items.filter((r) => r.playUrl).length === 0 ? <p className="empty">No recording yet. It appears here when it is ready.</p> : null}
      <ul>
        {recordings.data?.items
          .filter((r) => r.playUrl)
          .map((r, i) => (
            <li key={r.id ?? i}>
              <a href={r.playUrl!} target="_blank" rel="noopener noreferrer">
                Watch recording {i + 1}
                {r.recordingType ? ` (${r.recordingType.replace(/_/g, ' ')})` : ''}
              </a>
              {r.passcode ? <span className="muted small"> · passcode {r.passcode}</span> : null}
            </li>
          ))}
      </ul>
    </section>
  );
};
