/**
 * The tutor's dashboard: stats, and four tabs (Approvals carries a dot and the
 * count when requests wait). A new request arrives by WebSocket and shows without a reload.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../lib/errors';
import { formatMoney } from '../../lib/money';
import { TUTOR_TABS } from '../../lib/sessions';
import { countdownText, formatDateTime, viewerZone } from '../../lib/time';
import type { TutorSession, TutorView } from '../../lib/types';
import { Fact, SessionSummary } from '../../ui/SessionSummary';
import { ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { Tabs, useTabParam } from '../../ui/Tabs';
import { useDecision, useTutorSessions, useTutorStats } from './hooks';
import { RejectDialog } from './RejectDialog';

const Stats = () => {
  const stats = useTutorStats();
  if (stats.isPending) return <Loading label="Loading your numbers…" />;
  if (stats.isError) return <ErrorMessage error={stats.error} onRetry={() => void stats.refetch()} />;
  const s = stats.data;
  const rows: [string, string][] = [
    ['Pending approvals', String(s.pendingApprovals)],
    ['Pending', String(s.pending)],
    ['Active', String(s.active)],
    ['Completed', String(s.completed)],
    ['Gross revenue', formatMoney(s.grossRevenue)],
    ['Your earnings', formatMoney(s.tutorEarnings)],
    ['Wallet', formatMoney(s.walletBalance)],
  ];
  return (
    <section aria-label="Your numbers">
      <dl className="stats">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
};

const Approve = ({ s }: { s: TutorSession }) => {
  const decide = useDecision();
  return (
    <>
      <button type="button" className="primary" onClick={() => decide.mutate({ sessionId: s.id, decision: 'approve' })} disabled={decide.isPending}>
        {decide.isPending ? 'Approving…' : 'Approve'}
      </button>
      {decide.isError ? (
        <p role="alert" className="error">
          {describeError(decide.error)}
        </p>
      ) : null}
    </>
  );
};

const Item = ({ s, view, onReject }: { s: TutorSession; view: TutorView; onReject: (s: TutorSession) => void }) => {
  const zone = viewerZone();
  const extra = (
    <>
      {view === 'approvals' && s.approvalDeadline ? <Fact term="Answer by">{formatDateTime(s.approvalDeadline, { zone })}</Fact> : null}
      {view === 'pending' ? <Fact term="Starts">{countdownText(s, new Date()) ?? '—'}</Fact> : null}
      {view === 'completed' || view === 'pending' ? <Fact term="You earn">{formatMoney(s.tutorEarnings)}</Fact> : null}
      {s.notes ? <Fact term="Notes">{s.notes}</Fact> : null}
    </>
  );
  return (
    <SessionSummary s={s} with="student" extra={extra}>
      {view === 'approvals' ? (
        <>
          <Approve s={s} />
          <button type="button" className="danger" onClick={() => onReject(s)}>
            Reject
          </button>
        </>
      ) : null}
      <Link to={`/mentorship/session/${s.id}`}>View session</Link>
    </SessionSummary>
  );
};

const ViewList = ({ view, empty, onReject }: { view: TutorView; empty: string; onReject: (s: TutorSession) => void }) => {
  const list = useTutorSessions(view);
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  if (list.isPending) return <Loading label="Loading sessions…" />;
  if (list.isError) return <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />;
  if (items.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      {view === 'completed' ? (
        <p>
          Revenue on this page: <strong>{formatMoney({ amount: items.reduce((sum, s) => sum + s.price.amount, 0), currency: items[0]!.price.currency })}</strong>
        </p>
      ) : null}
      <ul className="list">
        {items.map((s) => (
          <Item key={s.id} s={s} view={view} onReject={onReject} />
        ))}
      </ul>
      <LoadMore list={list} />
    </>
  );
};

export const TutorDashboardPage = () => {
  const [view, setView] = useTabParam(
    TUTOR_TABS.map((t) => t.view),
    'approvals',
  );
  const [rejecting, setRejecting] = useState<TutorSession | null>(null);
  const stats = useTutorStats();
  const waiting = stats.data?.pendingApprovals ?? 0;
  const tab = TUTOR_TABS.find((t) => t.view === view)!;
  const tabs = TUTOR_TABS.map((t) => ({
    key: t.view,
    label: t.label,
    ...(t.view === 'approvals' && waiting > 0
      ? {
          badge: (
            <span className="tab-count">
              {' '}
              <span className="dot" aria-hidden="true" />
              {waiting}
              <span className="sr-only"> waiting</span>
            </span>
          ),
        }
      : {}),
  }));
  return (
    <main className="page">
      <h1>Tutor dashboard</h1>
      <Stats />
      <Tabs label="Your sessions" tabs={tabs} selected={view} onSelect={setView}>
        <ViewList key={view} view={view} empty={tab.empty} onReject={setRejecting} />
      </Tabs>
      {rejecting ? <RejectDialog session={rejecting} onClose={() => setRejecting(null)} /> : null}
    </main>
  );
};
