/**
 * Sign-in: OpenID Connect authorization code + PKCE with oidc-client-ts, against the issuer
 * in /config.json (Cognito managed login on AWS, the local provider under `npm start`). The
 * ID token is what the API and the WebSocket take; it is renewed with the refresh token
 * before it expires.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { RuntimeConfig } from './config';
import type { Role } from './types';

export const CALLBACK_PATH = '/auth/callback';

export const createUserManager = (config: RuntimeConfig, origin: string = window.location.origin): UserManager =>
  new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${origin}${CALLBACK_PATH}`,
    post_logout_redirect_uri: `${origin}/`,
    response_type: 'code',
    scope: 'openid email profile',
    // Renewed with the refresh token shortly before the tokens expire.
    automaticSilentRenew: true,
    // Kept across tabs and reloads of this origin.
    userStore: new WebStorageStateStore({ store: window.localStorage }),
    loadUserInfo: false,
  });

export interface Identity {
  id: string;
  name: string;
  email: string;
  /** From the ID token's `cognito:groups` (the API decides with the same claim). */
  roles: Role[];
}

export const identityOf = (user: User): Identity => {
  const p = user.profile as Record<string, unknown>;
  const groups = Array.isArray(p['cognito:groups']) ? (p['cognito:groups'] as unknown[]).filter((g): g is Role => g === 'student' || g === 'tutor' || g === 'admin') : [];
  const name = typeof p.name === 'string' ? p.name : typeof p.email === 'string' ? p.email : user.profile.sub;
  return { id: user.profile.sub, name, email: typeof p.email === 'string' ? p.email : '', roles: groups };
};

/** Renews the sign-in now with the refresh token; true when it worked. */
export const renewSignIn = async (manager: UserManager): Promise<boolean> => {
  try {
    return (await manager.signinSilent()) !== null;
  } catch {
    return false;
  }
};

/** The current ID token, renewed first if it has expired; null when signed out. */
export const currentIdToken = async (manager: UserManager): Promise<string | null> => {
  const u = await manager.getUser();
  if (!u) return null;
  if (u.expired) return u.refresh_token && (await renewSignIn(manager)) ? ((await manager.getUser())?.id_token ?? null) : null;
  return u.id_token ?? null;
};

interface AuthState {
  manager: UserManager;
  user: User | null;
  /** True until the stored sign-in has been read. */
  loading: boolean;
  identity: Identity | null;
  signIn: (returnTo?: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** The current ID token, renewed first if it has expired; null when signed out. */
  idToken: () => Promise<string | null>;
  /** Renews the sign-in now (a 401, or roles changed); true when it worked. */
  renew: () => Promise<boolean>;
}

const AuthContext = createContext<AuthState | null>(null);

export const AuthProvider = ({ manager, children }: { manager: UserManager; children: ReactNode }) => {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let alive = true;
    void manager.getUser().then((u) => {
      if (!alive) return;
      setUser(u && !u.expired ? u : null);
      setLoading(false);
      // An expired sign-in with a refresh token is renewed rather than dropped.
      if (u?.expired && u.refresh_token) void manager.signinSilent().catch(() => manager.removeUser());
    });
    const loaded = (u: User) => setUser(u);
    const unloaded = () => setUser(null);
    const failed = () => void manager.removeUser();
    manager.events.addUserLoaded(loaded);
    manager.events.addUserUnloaded(unloaded);
    manager.events.addUserSignedOut(unloaded);
    manager.events.addSilentRenewError(failed);
    return () => {
      alive = false;
      manager.events.removeUserLoaded(loaded);
      manager.events.removeUserUnloaded(unloaded);
      manager.events.removeUserSignedOut(unloaded);
      manager.events.removeSilentRenewError(failed);
    };
  }, [manager]);

  const value = useMemo<AuthState>(
    () => ({
      manager,
      user,
      loading,
      identity: user ? identityOf(user) : null,
      signIn: (returnTo) => manager.signinRedirect({ state: { returnTo: returnTo ?? `${window.location.pathname}${window.location.search}` } }),
      signOut: async () => {
        // Cognito publishes no end_session_endpoint: then the local sign-in is dropped only.
        const meta = await manager.metadataService.getMetadata().catch(() => null);
        if (meta?.end_session_endpoint) await manager.signoutRedirect();
        else {
          await manager.removeUser();
          window.location.assign('/');
        }
      },
      idToken: () => currentIdToken(manager),
      renew: () => renewSignIn(manager),
    }),
    [manager, user, loading],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
};

export const useAuth = (): AuthState => {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
};

/** Where the sign-in started, carried through the provider in the OIDC state. */
export const returnPathOf = (user: User): string => {
  const state = user.state as { returnTo?: unknown } | undefined;
  const to = typeof state?.returnTo === 'string' ? state.returnTo : '/';
  // Only a path of this site: never an open redirect.
  return to.startsWith('/') && !to.startsWith('//') && !to.startsWith(CALLBACK_PATH) ? to : '/';
};
