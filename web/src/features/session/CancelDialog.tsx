/** "Cancel session": says what the refund policy gives back before the viewer confirms. */
import { useState, type SubmitEvent } from 'react';
import { useApi } from '../../app/context';
import { formatMoney } from '../../lib/money';
import { FREE_CANCELLATION_HOURS, type Party, type RefundPreview } from '../../lib/sessions';
import { formatDateTime, viewerZone } from '../../lib/time';
import type { Session } from '../../lib/types';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/states';
import { useSessionAction } from './hooks';

export const refundText = (p: RefundPreview, by: Party, zone: string): string => {
  switch (p.kind) {
    case 'not-cancellable':
      return p.reason;
    case 'nothing-paid':
      return 'Nothing has been paid, so there is nothing to refund. The time is released.';
    case 'full':
      return by === 'student' ? `You get the full ${formatMoney(p.amount)} back.` : `The student gets the full ${formatMoney(p.amount)} back.`;
    case 'none':
      return `It is less than ${FREE_CANCELLATION_HOURS} hours before the start (free cancellation ended ${formatDateTime(p.freeUntil, { zone })}): the ${formatMoney(p.amount)} you paid is not refunded.`;
  }
};

export const CancelDialog = ({ session, preview, by, onClose }: { session: Session; preview: RefundPreview; by: Party; onClose: () => void }) => {
  const api = useApi();
  const cancel = useSessionAction(session.id, (reason: string) => api.cancel(session.id, reason));
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const blank = reason.trim() === '';
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!blank) cancel.mutate(reason.trim(), { onSuccess: onClose });
  };
  return (
    <Dialog open title={`Cancel “${session.title}”?`} onClose={onClose}>
      <form onSubmit={submit} className="form" noValidate>
        <p className="refund-preview">{refundText(preview, by, viewerZone())}</p>
        <label>
          Reason
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} required aria-required="true" aria-invalid={touched && blank} maxLength={1000} rows={3} />
        </label>
        {touched && blank ? (
          <p role="alert" className="error">
            Please give a reason: the other party reads it.
          </p>
        ) : null}
        {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}
        <div className="actions">
          <button type="submit" className="danger" disabled={cancel.isPending}>
            {cancel.isPending ? 'Cancelling…' : 'Confirm cancellation'}
          </button>
          <button type="button" onClick={onClose}>
            Keep session
          </button>
        </div>
      </form>
    </Dialog>
  );
};
