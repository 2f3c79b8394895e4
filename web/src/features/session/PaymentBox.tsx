/** The payment as the student sees it: processing after checkout, or the button to pay an approved session. */
import { useApi } from '../../app/context';
import { awaitingPayment, type Party } from '../../lib/sessions';
import { formatDateTime, viewerZone } from '../../lib/time';
import type { SessionPage as SessionData } from '../../lib/types';
import { ErrorMessage } from '../../ui/states';
import { useSessionAction } from './hooks';

export const PaymentBox = ({ s, party, returned }: { s: SessionData; party: Party; returned: boolean }) => {
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
