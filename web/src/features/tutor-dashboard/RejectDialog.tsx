/** "Reject" asks for the reason the student will read; it is required. */
import { useState, type SubmitEvent } from 'react';
import type { Session } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/states';
import { useDecision } from './hooks';

export const RejectDialog = ({ session, onClose }: { session: Session; onClose: () => void }) => {
  const decide = useDecision();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const blank = reason.trim() === '';
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    setTouched(true);
    if (blank) return;
    decide.mutate({ sessionId: session.id, decision: 'reject', reason: reason.trim() }, { onSuccess: onClose });
  };
  return (
    <Dialog open title={`Reject “${session.title}” from ${session.student.displayName}`} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        <label>
          Reason
          <textarea
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            aria-required="true"
            aria-invalid={touched && blank}
            aria-describedby="reject-reason-help"
            maxLength={1000}
            rows={3}
          />
        </label>
        <p id="reject-reason-help" className={touched && blank ? 'error' : 'muted small'} role={touched && blank ? 'alert' : undefined}>
          {touched && blank ? 'Please give a reason: the student reads it.' : 'The student reads this reason.'}
        </p>
        {decide.isError ? <ErrorMessage error={decide.error} /> : null}
        <div className="actions">
          <button type="submit" className="danger" disabled={decide.isPending}>
            {decide.isPending ? 'Rejecting…' : 'Reject request'}
          </button>
          <button type="button" onClick={onClose}>
            Keep request
          </button>
        </div>
      </form>
    </Dialog>
  );
};
