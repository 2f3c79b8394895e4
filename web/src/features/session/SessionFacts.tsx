/** The session's details, times in the viewer's zone. */
import { formatMoney } from '../../lib/money';
import { durationLabel, formatDateTime } from '../../lib/time';
import type { SessionPage as SessionData } from '../../lib/types';

export const SessionFacts = ({ s, zone }: { s: SessionData; zone: string }) => (
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
);
