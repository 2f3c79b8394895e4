/** A page for signed-in users: anyone else gets a "Sign in" button that comes back here. */
import type { ReactNode } from 'react';
import { useAuth } from '../../lib/auth';
import type { Role } from '../../lib/types';
import { Loading } from '../../ui/states';
import { useRoles } from '../me/useMe';

export const SignInButton = ({ label = 'Sign in' }: { label?: string }) => {
  const { signIn } = useAuth();
  return (
    <button type="button" className="primary" onClick={() => void signIn()}>
      {label}
    </button>
  );
};

export const RequireSignIn = ({ role, children }: { role?: Role; children: ReactNode }) => {
  const { loading, identity } = useAuth();
  const { has } = useRoles();
  if (loading) return <Loading />;
  if (!identity)
    return (
      <main className="page">
        <h1>Please sign in</h1>
        <p>Use “Sign in” at the top of the page to see this page; you come back here afterwards.</p>
      </main>
    );
  if (role && !has(role))
    return (
      <main className="page">
        <h1>Not available</h1>
        <p>This page is for {role === 'admin' ? 'administrators' : `${role}s`}.</p>
      </main>
    );
  return <>{children}</>;
};
