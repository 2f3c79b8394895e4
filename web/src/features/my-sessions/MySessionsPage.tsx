/** The student's sessions, in five tabs; each is one view of GET /me/sessions. */
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../lib/errors';
import { requestAgainHref, STUDENT_TABS } from '../../lib/sessions';
import { countdownText, formatDateTime, viewerZone } from '../../lib/time';
import type { Session, StudentView } from '../../lib/types';
import { Fact, SessionSummary } from '../../ui/SessionSummary';
import { ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { Tabs, useTabParam } from '../../ui/Tabs';
import { useMySessions, useProceedToPayment } from './hooks';
import { ReviewDialog } from './ReviewDialog';

const PayButton = ({ s }: { s: Session }) => {
  const pay = useProceedToPayment();
  return (
    <>
      <button type="button" className="primary" onClick={() => pay.mutate(s.id)} disabled={pay.isPending || pay.isSuccess}>
        {pay.isPending || pay.isSuccess ? 'Opening checkout…' : 'Proceed to payment'}
      </button>
      {pay.isError ? (
        <p role="alert" className="error">
          {describeError(pay.error)}
        </p>
      ) : null}
    </>
  );
};

const Item = ({ s, view, onReview }: { s: Session; view: StudentView; onReview: (s: Session) => void }) => {
  const zone = viewerZone();
  const extra = (
    <>
      {view === 'awaiting-approval' && s.approvalDeadline ? <Fact term="Tutor answers by">{formatDateTime(s.approvalDeadline, { zone })}</Fact> : null}
      {view === 'ready-for-payment' && s.paymentDeadline ? <Fact term="Pay by">{formatDateTime(s.paymentDeadline, { zone })}</Fact> : null}
      {view === 'upcoming' ? <Fact term="Starts">{countdownText(s, new Date()) ?? '—'}</Fact> : null}
      {view === 'rejected' ? <Fact term="Reason">{s.approvalNotes ?? 'No reason given'}</Fact> : null}
      {view === 'history' && s.status === 'CANCELLED' && s.cancellationReason ? <Fact term="Cancelled">{s.cancellationReason}</Fact> : null}
    </>
  );
  return (
    <SessionSummary s={s} with="tutor" extra={extra}>
      {view === 'ready-for-payment' ? <PayButton s={s} /> : null}
      {view === 'history' && s.status === 'COMPLETED' && !s.reviewedAt ? (
        <button type="button" onClick={() => onReview(s)}>
          Leave a review
        </button>
      ) : null}
      {view === 'rejected' ? <Link to={requestAgainHref(s)}>Request again</Link> : null}
      <Link to={`/mentorship/session/${s.id}`}>View session</Link>
    </SessionSummary>
  );
};

const ViewList = ({ view, empty, onReview }: { view: StudentView; empty: string; onReview: (s: Session) => void }) => {
  const list = useMySessions(view);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isPending) return <Loading label="Loading sessions…" />;
  if (list.isError) return <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />;
  if (items.length === 0)
    return (
      <p className="empty">
        {empty} <Link to="/mentorship/mentors">Browse tutors</Link>
      </p>
    );
  return (
    <>
      <ul className="list">
        {items.map((s) => (
          <Item key={s.id} s={s} view={view} onReview={onReview} />
        ))}
      </ul>
      <LoadMore list={list} />
    </>
  );
};

export const MySessionsPage = () => {
  const [view, setView] = useTabParam(
    STUDENT_TABS.map((t) => t.view),
    'upcoming',
  );
  const [reviewing, setReviewing] = useState<Session | null>(null);
  const tab = STUDENT_TABS.find((t) => t.view === view)!;
  return (
    <main className="page">
      <h1>My sessions</h1>
      <Tabs label="My sessions" tabs={STUDENT_TABS.map((t) => ({ key: t.view, label: t.label }))} selected={view} onSelect={setView}>
        <ViewList key={view} view={view} empty={tab.empty} onReview={setReviewing} />
      </Tabs>
      {reviewing ? <ReviewDialog session={reviewing} onClose={() => setReviewing(null)} /> : null}
    </main>
  );
};
