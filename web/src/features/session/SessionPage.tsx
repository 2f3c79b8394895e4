/**
 * The session page (Paystack returns the browser here with `?reference=`): details in the
 * viewer's zone, a live countdown, "Join meeting" only in the live window, the payment as it
 * is confirmed (WebSocket push, with a poll as the fallback), and the actions the viewer may
 * take: pay, add a meeting link, cancel (with the refund spelled out first), reschedule.
 */
import { useEffect, useState, type SubmitEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useApi } from '../../app/context';
import { useAuth } from '../../lib/auth';
import { describeError } from '../../lib/errors';
import { formatMoney } from '../../lib/money';
import { awaitingPayment, canReschedule, partyOf, refundPreview, requestAgainHref, startsAsHost, studentViewOf, tutorViewOf, type Party } from '../../lib/sessions';
import { countdownText, durationLabel, formatDateTime, livePhase, viewerZone } from '../../lib/time';
import type { SessionPage as SessionData } from '../../lib/types';
import { StatusBadges } from '../../ui/SessionSummary';
import { ErrorMessage, Loading } from '../../ui/states';
import { useRoles } from '../me/useMe';
import { CancelDialog } from './CancelDialog';
import { useNow, useRecordings, useSession, useSessionAction } from './hooks';
import { RescheduleDialog } from './RescheduleDialog';

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

const Meeting = ({ s, party, now }: { s: SessionData; party: Party; now: Date }) => {
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

const PaymentBox = ({ s, party, returned }: { s: SessionData; party: Party; returned: boolean }) => {
  const api = useApi();
  const pay = useSessionAction(s.id, () => api.pay(s.id).then((p) => window.location.assign(p.authorizationUrl)));
  const zone = viewerZone();
  if (awaitingPayment(s, returned))
    return (
      <p role="status" className="note">
        Payment processing… This page updates as soon as the payment is confirmed.
      </p>
    );
  if (party !== 'student' || s.status !== 'SCHEDULED' || (s.paymentStatus !== 'PENDING' && s.paymentStatus !== 'FAILED')) return null;
  return (
    <section aria-labelledby="payment" className="card">
      <h2 id="payment">Payment</h2>
      <p>
        {s.paymentStatus === 'FAILED' ? 'The payment did not go through. You can try again.' : 'The tutor approved this session. Pay to confirm it.'}
        {s.paymentDeadline ? ` Pay by ${formatDateTime(s.paymentDeadline, { zone })}, or the time is released.` : ''}
      </p>
      {pay.isError ? <ErrorMessage error={pay.error} /> : null}
      <button type="button" className="primary" onClick={() => pay.mutate(undefined)} disabled={pay.isPending || pay.isSuccess}>
        {pay.isPending || pay.isSuccess ? 'Opening checkout…' : 'Proceed to payment'}
      </button>
    </section>
  );
};

const Recordings = ({ s }: { s: SessionData }) => {
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

export const SessionPage = () => {
  const { sessionId = '' } = useParams();
  const [params] = useSearchParams();
  const returned = params.has('reference');
  const { identity } = useAuth();
  const { has } = useRoles();
  const zone = viewerZone();
  const now = useNow();
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | null>(null);
  const [poll, setPoll] = useState(returned);
  const session = useSession(sessionId, { poll });
  const s = session.data;

  // Poll only until the payment is settled one way or the other.
  useEffect(() => setPoll(s ? awaitingPayment(s, returned) : returned), [s, returned]);
  // The workflow moves the status at the start and the end: ask again when the window turns.
  const phase = s ? livePhase(s, now) : null;
  const { refetch } = session;
  useEffect(() => {
    if (phase === 'live' || phase === 'ended') void refetch();
  }, [phase, refetch]);

  if (session.isPending)
    return (
      <main className="page">
        <Loading label="Loading the session…" />
      </main>
    );
  if (!s)
    return (
      <main className="page">
        <h1>Session</h1>
        <ErrorMessage error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );

  const party = partyOf(s, identity?.id, has('admin'));
  const preview = refundPreview(s, party, now);
  const countdown = countdownText(s, now);
  const backTo =
    party === 'student'
      ? { href: `/mentorship/sessions?tab=${studentViewOf(s, now)}`, label: 'Back to my sessions' }
      : party === 'tutor'
        ? { href: `/tutor/mentorship?tab=${tutorViewOf(s) ?? 'pending'}`, label: 'Back to the dashboard' }
        : { href: '/admin', label: 'Back to administration' };

  return (
    <main className="page">
      <p>
        <Link to={backTo.href}>{backTo.label}</Link>
      </p>
      <h1>{s.title}</h1>
      <StatusBadges s={s} />
      {countdown ? (
        <p className="countdown" aria-live="off">
          {countdown}
        </p>
      ) : null}
      <PaymentBox s={s} party={party} returned={returned} />
      <dl className="facts">
        <div>
          <dt>Student</dt>
          <dd>{s.student.displayName}</dd>
        </div>
        <div>
          <dt>Tutor</dt>
          <dd>{s.tutor.displayName}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>
            <time dateTime={s.scheduledAt}>{formatDateTime(s.scheduledAt, { zone })}</time>
          </dd>
        </div>
        <div>
          <dt>Duration</dt>
          <dd>{durationLabel(s.durationMinutes)}</dd>
        </div>
        <div>
          <dt>Price</dt>
          <dd>{formatMoney(s.price)}</dd>
        </div>
        <div>
          <dt>Booking</dt>
          <dd>{s.bookingMode === 'REQUEST' ? 'Request' : 'Instant'}</dd>
        </div>
        {s.status === 'PENDING_MENTOR_REVIEW' && s.approvalDeadline ? (
          <div>
            <dt>Tutor answers by</dt>
            <dd>{formatDateTime(s.approvalDeadline, { zone })}</dd>
          </div>
        ) : null}
        {s.notes ? (
          <div>
            <dt>Notes</dt>
            <dd className="prewrap">{s.notes}</dd>
          </div>
        ) : null}
        {s.status === 'REJECTED' ? (
          <div>
            <dt>Reason</dt>
            <dd>{s.approvalNotes ?? 'No reason given'}</dd>
          </div>
        ) : null}
        {s.status === 'CANCELLED' && s.cancellationReason ? (
          <div>
            <dt>Cancelled</dt>
            <dd>{s.cancellationReason}</dd>
          </div>
        ) : null}
      </dl>

      {s.status === 'PENDING_MENTOR_REVIEW' && party === 'tutor' ? (
        <p>
          <Link to="/tutor/mentorship?tab=approvals">Answer this request on your dashboard</Link>
        </p>
      ) : null}
      {s.status === 'REJECTED' && party === 'student' ? (
        <p>
          <Link to={requestAgainHref(s)}>Request again</Link>
        </p>
      ) : null}
      {s.status === 'COMPLETED' && party === 'student' && !s.reviewedAt ? (
        <p>
          <Link to="/mentorship/sessions?tab=history">Review this session from your history</Link>
        </p>
      ) : null}

      <Meeting s={s} party={party} now={now} />
      <Recordings s={s} />

      {preview.kind !== 'not-cancellable' && party !== 'none' ? (
        <div className="actions">
          {canReschedule(s, party, now) ? (
            <button type="button" onClick={() => setDialog('reschedule')}>
              Reschedule
            </button>
          ) : null}
          <button type="button" className="danger" onClick={() => setDialog('cancel')}>
            Cancel session
          </button>
        </div>
      ) : null}
      {dialog === 'cancel' ? <CancelDialog session={s} preview={preview} by={party} onClose={() => setDialog(null)} /> : null}
      {dialog === 'reschedule' ? <RescheduleDialog session={s} onClose={() => setDialog(null)} /> : null}
      {session.isError ? <p className="error small">{describeError(session.error)} Showing what we had.</p> : null}
    </main>
  );
};
