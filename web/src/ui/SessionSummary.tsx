/** A session in a list: title, the other party, time in the viewer's zone, length, price and badges. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatMoney } from '../lib/money';
import { PAYMENT_LABELS, STATUS_LABELS } from '../lib/sessions';
import { durationLabel, formatDateTime, viewerZone } from '../lib/time';
import type { Session } from '../lib/types';
import { Badge } from './states';

export const StatusBadges = ({ s }: { s: Pick<Session, 'status' | 'paymentStatus'> }) => (
  <span className="badges">
    <Badge tone={STATUS_LABELS[s.status].tone}>{STATUS_LABELS[s.status].label}</Badge>
    {s.status !== 'PENDING_MENTOR_REVIEW' && s.status !== 'REJECTED' ? <Badge tone={PAYMENT_LABELS[s.paymentStatus].tone}>{PAYMENT_LABELS[s.paymentStatus].label}</Badge> : null}
  </span>
);

export const SessionSummary = ({ s, with: other, children, extra }: { s: Session; with: 'student' | 'tutor' | 'both'; children?: ReactNode; extra?: ReactNode }) => {
  const zone = viewerZone();
  const headingId = `session-${s.id}`;
  return (
    <li>
      <article className="card session" aria-labelledby={headingId}>
        <h3 id={headingId}>
          <Link to={`/mentorship/session/${s.id}`}>{s.title}</Link>
        </h3>
        <StatusBadges s={s} />
        <dl className="facts">
          <SessionFactRows s={s} with={other} zone={zone} />
          {extra}
        </dl>
        {children ? <div className="actions">{children}</div> : null}
      </article>
    </li>
  );
};

/** The rows a session shows wherever it appears: the other party (or both), its time in `zone`, length and price. */
export const SessionFactRows = ({
  s,
  with: other,
  zone,
}: {
  s: Pick<Session, 'student' | 'tutor' | 'scheduledAt' | 'durationMinutes' | 'price'>;
  with: 'student' | 'tutor' | 'both';
  zone: string;
}) => (
  <>
    {other !== 'tutor' ? <Fact term="Student">{s.student.displayName}</Fact> : null}
    {other !== 'student' ? <Fact term="Tutor">{s.tutor.displayName}</Fact> : null}
    <Fact term="Time">
      <time dateTime={s.scheduledAt}>{formatDateTime(s.scheduledAt, { zone })}</time>
    </Fact>
    <Fact term="Duration">{durationLabel(s.durationMinutes)}</Fact>
    <Fact term="Price">{formatMoney(s.price)}</Fact>
  </>
);

/** A fact row for `extra`. */
export const Fact = ({ term, children }: { term: string; children: ReactNode }) => (
  <div>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </div>
);
