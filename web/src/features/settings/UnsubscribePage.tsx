/**
 * Where an email's "Unsubscribe" link lands (`/email/unsubscribe?token=…`): a browser opens a
 * link with GET, and a GET must change nothing (mail scanners open links too), so the page asks
 * first and POSTs the signed token to the API's one-click route. No sign-in: the token is the authority.
 */
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../app/context';
import { useAuth } from '../../lib/auth';
import { ErrorMessage } from '../../ui/states';
import { emailKindLabel } from './emailKinds';

export const UnsubscribePage = () => {
  const api = useApi();
  const { identity } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unsubscribe = useMutation({ mutationFn: () => api.unsubscribe(token) });
  return (
    <main className="page">
      <h1>Unsubscribe</h1>
      {!token ? (
        <p role="alert" className="error">
          This link has no unsubscribe token. Open the link from the email again, or change what you get on the email preferences page.
        </p>
      ) : unsubscribe.isSuccess ? (
        <div role="status" className="note">
          <p>You will no longer get these emails:</p>
          <ul>
            {unsubscribe.data.unsubscribed.map((k) => (
              <li key={k}>{emailKindLabel(k)}</li>
            ))}
          </ul>
          <p>Emails about money (approvals to pay, bookings, refunds) are still sent.</p>
        </div>
      ) : (
        <>
          <p>Stop getting this kind of email from Mentorship?</p>
          {unsubscribe.isError ? <ErrorMessage error={unsubscribe.error} /> : null}
          <div className="actions">
            <button type="button" className="primary" onClick={() => unsubscribe.mutate()} disabled={unsubscribe.isPending}>
              {unsubscribe.isPending ? 'Unsubscribing…' : 'Unsubscribe'}
            </button>
          </div>
        </>
      )}
      <p>{identity ? <Link to="/settings/notifications">Email preferences</Link> : 'Sign in to choose every kind of email you get on the email preferences page.'}</p>
    </main>
  );
};
