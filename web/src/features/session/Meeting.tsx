/** The session's meeting: join (or start as host) in the live window, copy the link, or the tutor's own link when none was made. */
import { useState, type SubmitEvent } from 'react';
import { useApi } from '../../app/context';
import { startsAsHost, type Party } from '../../lib/sessions';
import { livePhase } from '../../lib/time';
import type { SessionPage as SessionData } from '../../lib/types';
import { ErrorMessage } from '../../ui/states';
import { useSessionAction } from './hooks';

const MeetingLinkForm = ({ s }: { s: SessionData }) => {
  const api = useApi();
  const save = useSessionAction(s.id, (url: string) => api.setMeetingUrl(s.id, url));
  const [url, setUrl] = useState('');
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    save.mutate(url.trim());
  };
  return (
    <form onSubmit={submit} className="form inline-form">
      <p className="warn">No meeting was created for this session. Add a link to a meeting you host (https).</p>
      <label>
        Meeting link
        <input type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://" />
      </label>
      {save.isError ? <ErrorMessage error={save.error} /> : null}
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? 'Saving…' : 'Add meeting link'}
      </button>
    </form>
  );
};

/**
 * "Join as host": the start link expires within hours, so it is fetched from the API on click.
 * The tab is opened at once, inside the click (a tab opened after an await is blocked as a
 * pop-up), and sent to the link when it arrives.
 */
const useStartAsHost = (sessionId: string) => {
  const api = useApi();
  const [state, setState] = useState<{ pending: boolean; error: unknown }>({ pending: false, error: null });
  const start = () => {
    const tab = window.open('', '_blank');
    setState({ pending: true, error: null });
    api.hostLink(sessionId).then(
      ({ url }) => {
        setState({ pending: false, error: null });
        if (tab) {
          tab.opener = null;
          tab.location.href = url;
        } else window.location.assign(url);
      },
      (error: unknown) => {
        tab?.close();
        setState({ pending: false, error });
      },
    );
  };
  return { ...state, start };
};

export const Meeting = ({ s, party, now }: { s: SessionData; party: Party; now: Date }) => {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const host = useStartAsHost(s.id);
  const phase = livePhase(s, now);
  const url = s.meetingUrl;
  const asHost = startsAsHost(s, party);
  if (s.status !== 'SCHEDULED' && s.status !== 'IN_PROGRESS') return null;
  if (s.paymentStatus !== 'PAID') return null;
  const live = phase === 'live';
  const copy = () =>
    navigator.clipboard.writeText(s.meetingUrl ?? '').then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <section aria-labelledby="meeting" className="card">
      <h2 id="meeting">Meeting</h2>
      {url ? (
        <>
          <div className="actions">
            {asHost ? (
              <button type="button" className="primary" disabled={!live || host.pending} aria-describedby="join-hint" onClick={host.start}>
                {host.pending ? 'Starting…' : 'Join as host'}
              </button>
            ) : (
              <button type="button" className="primary" disabled={!live} aria-describedby="join-hint" onClick={() => window.open(url, '_blank', 'noopener,noreferrer')}>
                Join meeting
              </button>
            )}
            {s.meetingUrl ? (
              <button type="button" onClick={() => void copy()}>
                Copy link
              </button>
            ) : null}
          </div>
          <p id="join-hint" className="muted small">
            {live
              ? asHost
                ? 'You start the meeting as its host (a fresh link each time).'
                : 'The session is live.'
              : phase === 'before'
                ? 'The button works from the start time to the end.'
                : 'The session has ended.'}
          </p>
          {host.error ? <ErrorMessage error={host.error} onRetry={host.start} /> : null}
          {s.meetingUrl ? <p className="meeting-url small">{s.meetingUrl}</p> : null}
          <p role="status" className="small">
            {copied === 'yes' ? 'Link copied.' : copied === 'failed' ? 'Could not copy: select the link above and copy it.' : ''}
          </p>
        </>
      ) : party === 'tutor' ? (
        <MeetingLinkForm s={s} />
      ) : (
        <p className="muted">The meeting link is not ready yet: the tutor has been asked to add one. This page updates when it is.</p>
      )}
    </section>
  );
};
