/** The session's details, times in the viewer's zone. */
import { formatDateTime } from '../../lib/time';
import type { SessionPage as SessionData } from '../../lib/types';
import { Fact, SessionFactRows } from '../../ui/SessionSummary';

export const SessionFacts = ({ s, zone }: { s: SessionData; zone: string }) => (
  <dl className="facts">
    <SessionFactRows s={s} with="both" zone={zone} />
    <Fact term="Booking">{s.bookingMode === 'REQUEST' ? 'Request' : 'Instant'}</Fact>
    {s.status === 'PENDING_MENTOR_REVIEW' && s.approvalDeadline ? <Fact term="Tutor answers by">{formatDateTime(s.approvalDeadline, { zone })}</Fact> : null}
    {s.notes ? (
      <Fact term="Notes">
        <span className="prewrap">{s.notes}</span>
      </Fact>
    ) : null}
    {s.status === 'REJECTED' ? <Fact term="Reason">{s.approvalNotes ?? 'No reason given'}</Fact> : null}
    {s.status === 'CANCELLED' && s.cancellationReason ? <Fact term="Cancelled">{s.cancellationReason}</Fact> : null}
  </dl>
);
