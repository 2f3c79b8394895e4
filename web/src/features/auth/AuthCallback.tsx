/** Where the provider sends the browser back: finish the sign-in, then go where it started. */
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { returnPathOf, useAuth } from '../../lib/auth';
import { ErrorMessage, Loading } from '../../ui/states';

export const AuthCallback = () => {
  const { manager } = useAuth();
  const navigate = useNavigate();
  const [error, setError] = useState<unknown>(null);
  // The code can be exchanged once: StrictMode's second effect run must not try again.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    manager.signinCallback().then(
      (user) => void navigate(user ? returnPathOf(user) : '/', { replace: true }),
      (e: unknown) => setError(e),
    );
  }, [manager, navigate]);
  return (
    <main className="page">
      <h1>Signing in</h1>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <a href="/">Back to the start page</a>
        </>
      ) : (
        <Loading label="Finishing sign-in…" />
      )}
    </main>
  );
};
