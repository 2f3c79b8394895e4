/**
 * The session page (Paystack returns the browser here with `?reference=`): details in the
 * viewer's zone, a live countdown, "Join meeting" only in the live window, the payment as it
 * is confirmed (WebSocket push, with a poll as the fallback), and the actions the viewer may
 * take: pay, add a meeting link, cancel (with the refund spelled out first), reschedule.
 */
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../lib/auth';
import { describeError } from '../../lib/errors';
import { awaitingPayment, canReschedule, partyOf, refundPreview, requestAgainHref, studentViewOf, tutorViewOf } from '../../lib/sessions';
import { countdownText, livePhase, viewerZone } from '../../lib/time';
import { StatusBadges } from '../../ui/SessionSummary';
import { ErrorMessage, Loading } from '../../ui/states';
import { useRoles } from '../me/useMe';
import { CancelDialog } from './CancelDialog';
import { useNow, useSession } from './hooks';
import { Meeting } from './Meeting';
import { PaymentBox } from './PaymentBox';
import { Recordings } from './Recordings';
import { RescheduleDialog } from './RescheduleDialog';
import { SessionFacts } from './SessionFacts';

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
      <SessionFacts s={s} zone={zone} />

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
