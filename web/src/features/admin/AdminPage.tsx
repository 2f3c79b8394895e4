/** Administration: sessions by status (each opens its session page) and tutor applications. */
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useApi } from '../../app/context';
import { keys } from '../../app/keys';
import { describeError } from '../../lib/errors';
import { formatMoney } from '../../lib/money';
import { STATUS_LABELS } from '../../lib/sessions';
import { durationLabel, formatDateTime, viewerZone } from '../../lib/time';
import type { SessionStatus, TutorApplication } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { SessionSummary } from '../../ui/SessionSummary';
import { ErrorMessage, Loading, LoadMore } from '../../ui/states';
import { Tabs, useTabParam } from '../../ui/Tabs';

const STATUSES = Object.keys(STATUS_LABELS) as SessionStatus[];

const Sessions = () => {
  const api = useApi();
  const [status, setStatus] = useState<SessionStatus>('SCHEDULED');
  const list = useInfiniteQuery({
    queryKey: keys.adminSessions(status),
    queryFn: ({ pageParam }) => api.adminSessions(status, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <label className="inline-field">
        Status
        <select value={status} onChange={(e) => setStatus(e.target.value as SessionStatus)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s].label}
            </option>
          ))}
        </select>
      </label>
      {list.isPending ? <Loading label="Loading sessions…" /> : null}
      {list.isError ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? <p className="empty">No {STATUS_LABELS[status].label.toLowerCase()} sessions.</p> : null}
      <ul className="list">
        {items.map((s) => (
          <SessionSummary key={s.id} s={s} with="both" />
        ))}
      </ul>
      <LoadMore list={list} />
    </>
  );
};

const useApplicationDecision = () => {
  const api = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, approve, reason }: { userId: string; approve: true; reason?: never } | { userId: string; approve: false; reason: string }) =>
      approve ? api.approveApplication(userId) : api.declineApplication(userId, reason),
    onSettled: () => Promise.all([qc.invalidateQueries({ queryKey: keys.tutorApplications }), qc.invalidateQueries({ queryKey: keys.tutors })]),
  });
};

const DeclineDialog = ({ application, onClose }: { application: TutorApplication; onClose: () => void }) => {
  const decide = useApplicationDecision();
  const [reason, setReason] = useState('');
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    // The applicant is told why: the API requires a reason.
    if (!reason.trim()) return;
    decide.mutate({ userId: application.userId, approve: false, reason: reason.trim() }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={`Decline ${application.applicant.displayName}’s application`} onClose={onClose}>
      <form onSubmit={submit} className="form">
        <label>
          Reason
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} rows={3} required />
        </label>
        <p className="muted small">The applicant reads this reason.</p>
        {decide.isError ? <ErrorMessage error={decide.error} /> : null}
        <div className="actions">
          <button type="submit" className="danger" disabled={decide.isPending}>
            {decide.isPending ? 'Declining…' : 'Decline application'}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </Dialog>
  );
};

const Application = ({ a, onDecline }: { a: TutorApplication; onDecline: (a: TutorApplication) => void }) => {
  const decide = useApplicationDecision();
  const zone = viewerZone();
  const headingId = `application-${a.userId}`;
  const open = a.status === 'PENDING' || a.status === 'APPROVING';
  return (
    <li>
      <article className="card" aria-labelledby={headingId}>
        <h3 id={headingId}>{a.applicant.displayName}</h3>
        <p className="muted small">
          {a.applicant.email} · applied {formatDateTime(a.submittedAt, { zone })} · {a.status.toLowerCase()}
        </p>
        {a.profile.bio ? <p className="bio">{a.profile.bio}</p> : null}
        <dl className="facts">
          <div>
            <dt>Rate</dt>
            <dd>{formatMoney(a.profile.hourlyRate)} per hour</dd>
          </div>
          <div>
            <dt>Lengths</dt>
            <dd>{a.profile.durations.map(durationLabel).join(', ')}</dd>
          </div>
          <div>
            <dt>Time zone</dt>
            <dd>{a.profile.timezone}</dd>
          </div>
          {a.reason ? (
            <div>
              <dt>Reason</dt>
              <dd>{a.reason}</dd>
            </div>
          ) : null}
        </dl>
        {open ? (
          <div className="actions">
            <button type="button" className="primary" onClick={() => decide.mutate({ userId: a.userId, approve: true })} disabled={decide.isPending}>
              {decide.isPending ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" className="danger" onClick={() => onDecline(a)}>
              Decline
            </button>
          </div>
        ) : null}
        {decide.isError ? (
          <p role="alert" className="error">
            {describeError(decide.error)}
          </p>
        ) : null}
      </article>
    </li>
  );
};

const Applications = () => {
  const api = useApi();
  const [declining, setDeclining] = useState<TutorApplication | null>(null);
  const list = useInfiniteQuery({
    queryKey: keys.tutorApplications,
    queryFn: ({ pageParam }) => api.tutorApplications(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {list.isPending ? <Loading label="Loading applications…" /> : null}
      {list.isError ? <ErrorMessage error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isSuccess && items.length === 0 ? <p className="empty">No applications waiting.</p> : null}
      <ul className="list">
        {items.map((a) => (
          <Application key={a.userId} a={a} onDecline={setDeclining} />
        ))}
      </ul>
      <LoadMore list={list} />
      {declining ? <DeclineDialog application={declining} onClose={() => setDeclining(null)} /> : null}
    </>
  );
};

const TABS = [
  { key: 'sessions', label: 'Sessions' },
  { key: 'applications', label: 'Tutor applications' },
] as const;

export const AdminPage = () => {
  const [tab, setTab] = useTabParam(
    TABS.map((t) => t.key),
    'sessions',
  );
  return (
    <main className="page">
      <h1>Administration</h1>
      <Tabs label="Administration" tabs={TABS} selected={tab} onSelect={setTab}>
        {tab === 'sessions' ? <Sessions /> : <Applications />}
      </Tabs>
    </main>
  );
};
