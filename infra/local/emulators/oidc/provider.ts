/**
 * The local stack's OpenID Connect provider, what Cognito's managed login is on AWS, built on
 * `oidc-provider`; only the sign-in pages (./pages.ts) and the account lookup are ours. Its ID
 * tokens are shaped like Cognito's and signed with the key the local gateways verify with
 * (./jwt.ts); as on Cognito, every code grant gets a refresh token, not rotated, and a refresh
 * reads the user's roles afresh. State lives in memory: a restart signs everybody out.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Provider, { type Adapter, type AdapterPayload, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { z } from 'zod';
import type { User } from '../../../../shared/data/users';
import { DEFAULT_OIDC_PORT, LOCAL_AUDIENCE, localIssuer } from './jwt';
import { messagePage, signInPage, signOutPage, type FieldErrors, type PageUser, type SignUpValues } from './pages';
import { BodyTooLargeError, httpOrigin, listen, readBody } from '../../ports';

/** The web app's OAuth client: public (no secret), PKCE S256, as the Cognito app client. */
export const WEB_CLIENT_ID = LOCAL_AUDIENCE;
export const WEB_SCOPES = 'openid email profile';
export const DEFAULT_WEB_PORT = 5173;
export { DEFAULT_OIDC_PORT };

/** The web app's origins on `webPort`: localhost and 127.0.0.1, as a browser may use either. */
export const webOrigins = (webPort: number): string[] => [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];

/** Where the provider sends the browser back after sign-in, per web origin. */
export const callbackPath = '/auth/callback';

export interface OidcUsers {
  /** The user item, or undefined when there is none. */
  find: (userId: string) => Promise<User | undefined>;
  /** Makes the user a student once; a second call returns the user as stored (shared/usecases/identity.ts). */
  signUp: (input: { userId: string; name: string; email: string }) => Promise<User>;
}

export interface LocalOidcOptions {
  /** A fixed port: the issuer carries it (0 is refused: pick one with freePort first). */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The private JWK the tokens are signed with (jwt.ts' signingJwk). */
  signingKey: JWK;
  /** Origins of the web app: its redirect URIs and the origins allowed to call the token endpoint. */
  webOrigins: readonly string[];
  users: OidcUsers;
  /** The users offered as buttons on the sign-in page. */
  signInUsers: readonly PageUser[];
  /** Where unexpected errors are told; default stderr. */
  logError?: (line: string) => void;
}

export interface LocalOidc {
  issuer: string;
  /** Where it listens (the issuer names it by `localhost`). */
  url: string;
  port: number;
  provider: Provider;
  stop: () => Promise<void>;
}

const ID_TOKEN_SECONDS = 3_600;
const REFRESH_TOKEN_SECONDS = 30 * 86_400;

/**
 * A sign-up's user id: the same for the same email (trimmed, any case), so signing up twice
 * signs in the same user; UUID-shaped like a Cognito `sub`.
 */
export const localUserIdFor = (email: string): string => {
  const h = createHash('sha256').update(`mentorship-local-user:${email.trim().toLowerCase()}`).digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

export const signUpForm = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Your name must be at most 100 characters'),
  email: z.string().trim().max(254, 'The email address is too long').pipe(z.email('Enter an email address like name@example.com')),
});

const signInForm = z.object({ userId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)) });

/** The provider's state in memory, with each entry's expiry; tokens of a grant go with the grant. */
const memoryAdapter = () => {
  const store = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const uids = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry?.payload;
  };
  return (model: string): Adapter => {
    const key = (id: string) => `${model}:${id}`;
    return {
      upsert: async (id, payload, expiresIn) => {
        store.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
        if (payload.uid && model === 'Session') uids.set(payload.uid, id);
        if (payload.grantId) grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key(id)));
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => {
        const id = uids.get(uid);
        return id ? live(key(id)) : undefined;
      },
      findByUserCode: async () => undefined,
      consume: async (id) => {
        const payload = live(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => {
        const payload = live(key(id));
        store.delete(key(id));
        if (payload?.uid && uids.get(payload.uid) === id) uids.delete(payload.uid);
      },
      revokeByGrantId: async (grantId) => {
        for (const k of grants.get(grantId) ?? []) store.delete(k);
        grants.delete(grantId);
      },
    };
  };
};

/** The provider's configuration: Cognito's behaviour where the web app can tell. */
export const oidcConfiguration = (opts: Pick<LocalOidcOptions, 'signingKey' | 'webOrigins' | 'users'>): Configuration => {
  const origins = new Set(opts.webOrigins);
  return {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'the Mentorship web app',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: WEB_SCOPES,
        redirect_uris: opts.webOrigins.map((o) => `${o}${callbackPath}`),
        post_logout_redirect_uris: opts.webOrigins.map((o) => `${o}/`),
        require_auth_time: true,
      },
    ],
    jwks: { keys: [opts.signingKey] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    claims: {
      openid: ['sub', 'token_use', 'cognito:groups', 'cognito:username'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Cognito puts the profile and email claims in the ID token itself: the web app and our handlers read them there.
    conformIdTokenClaims: false,
    findAccount: async (_ctx, sub) => {
      const user = await opts.users.find(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: (use) => ({
          sub: user.id,
          ...(use === 'id_token' ? { token_use: 'id' } : {}),
          'cognito:groups': [...user.roles],
          'cognito:username': user.id,
          name: user.displayName,
          email: user.email,
          email_verified: true,
        }),
      };
    },
    // A refresh token with every code grant, kept after sign-out of the provider's session and not rotated: Cognito's defaults.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    rotateRefreshToken: false,
    // A first-party app: no consent screen, the app gets the scopes it asked for.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const existing = grantId ? await provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(client.scope ?? WEB_SCOPES);
      await grant.save();
      return grant;
    },
    clientBasedCORS: (_ctx, origin) => origins.has(origin),
    cookies: {
      // Cookies are per host, not per port: names of our own, so no other app on localhost reads or clobbers them.
      names: { session: 'mentorship_oidc_session', interaction: 'mentorship_oidc_interaction', resume: 'mentorship_oidc_resume' },
      keys: [randomBytes(32).toString('base64url')],
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You are signed out of Mentorship.');
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Where Cognito serves its key set: our WebSocket authorizer finds it there from the issuer alone.
    routes: { jwks: '/.well-known/jwks.json' },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Sign-in failed', out.error_description ?? 'Something went wrong.', out.error);
    },
    ttl: {
      AuthorizationCode: 300,
      AccessToken: ID_TOKEN_SECONDS,
      IdToken: ID_TOKEN_SECONDS,
      RefreshToken: REFRESH_TOKEN_SECONDS,
      Grant: REFRESH_TOKEN_SECONDS,
      Interaction: 3_600,
      Session: 14 * 86_400,
    },
  };
};

const close = (server: Server): Promise<void> =>
  new Promise((resolveClose) => {
    if (!server.listening) return resolveClose();
    server.close(() => resolveClose());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });

const send = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

const FORM_LIMIT = 16 * 1024;

/** The sign-in pages: /interaction/<uid> (GET) and its /login, /signup and /abort forms (POST). */
const interactions = (provider: Provider, opts: LocalOidcOptions) => {
  const clientName = async (clientId: string | undefined) => (clientId && (await provider.Client.find(clientId))?.clientName) || clientId || 'the app';
  const render = async (req: IncomingMessage, res: ServerResponse, uid: string, status: number, values?: SignUpValues, errors?: FieldErrors) => {
    const details = await provider.interactionDetails(req, res);
    send(
      res,
      status,
      signInPage({
        uid,
        clientName: await clientName(details.params.client_id as string | undefined),
        users: opts.signInUsers,
        ...(values ? { values } : {}),
        ...(errors ? { errors } : {}),
      }),
    );
  };
  const signIn = (req: IncomingMessage, res: ServerResponse, accountId: string) =>
    provider.interactionFinished(req, res, { login: { accountId, remember: true } }, { mergeWithLastSubmission: false });

  return async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    // The cookie names the interaction; the path must name the same one.
    if (details.uid !== uid) return send(res, 400, messagePage('Sign-in failed', 'This sign-in page belongs to another sign-in. Start again from the app.'));
    if (req.method === 'GET' && action === undefined) {
      if (details.prompt.name === 'login') return render(req, res, uid, 200);
      // A grant that lacks a scope the app asked for: a first-party app is granted it without asking.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      if (!grant) return send(res, 400, messagePage('Sign-in failed', 'This sign-in has expired. Start again from the app.'));
      const missing = details.prompt.details.missingOIDCScope as string[] | undefined;
      if (missing) grant.addOIDCScope(missing.join(' '));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (req.method !== 'POST' || action === undefined) return send(res, 405, messagePage('Not allowed', 'Use the sign-in page.'));
    let form: URLSearchParams;
    try {
      form = new URLSearchParams((await readBody(req, FORM_LIMIT)).toString('utf8'));
    } catch (e) {
      if (e instanceof BodyTooLargeError) return send(res, 413, messagePage('Sign-in failed', 'The form was too large.'));
      throw e;
    }
    if (action === 'abort')
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }, { mergeWithLastSubmission: false });
    if (action === 'login') {
      const parsed = signInForm.safeParse(Object.fromEntries(form));
      const user = parsed.success ? await opts.users.find(parsed.data.userId) : undefined;
      if (!user) return render(req, res, uid, 400, undefined, { form: 'That user does not exist (any more): choose another one.' });
      return signIn(req, res, user.id);
    }
    if (action === 'signup') {
      const values = { name: form.get('name') ?? '', email: form.get('email') ?? '' };
      const parsed = signUpForm.safeParse(values);
      if (!parsed.success) {
        const errors: FieldErrors = {};
        for (const issue of parsed.error.issues) errors[issue.path[0] as 'name' | 'email'] ??= issue.message;
        return render(req, res, uid, 400, values, errors);
      }
      const { name, email } = parsed.data;
      const user = await opts.users.signUp({ userId: localUserIdFor(email), name, email });
      return signIn(req, res, user.id);
    }
    return send(res, 404, messagePage('Not found', 'There is no such page.'));
  };
};

const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|signup|abort))?\/?$/;

/** Starts the provider on 127.0.0.1:<port> (issuer http://localhost:<port>). */
export const startLocalOidc = async (opts: LocalOidcOptions): Promise<LocalOidc> => {
  if (!opts.port) throw new Error('The OpenID provider needs a fixed port: its issuer names it');
  const issuer = localIssuer(opts.port);
  const logError = opts.logError ?? ((line: string) => process.stderr.write(`${line}\n`));
  const provider = new Provider(issuer, oidcConfiguration(opts));
  provider.on('server_error', (_ctx, error) => logError(`[oidc] ${error.stack ?? String(error)}`));
  const app = provider.callback();
  const interaction = interactions(provider, opts);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const m = INTERACTION.exec(path);
    if (!m) {
      void app(req, res);
      return;
    }
    interaction(req, res, m[1]!, m[2]).catch((e: unknown) => {
      const expired = e instanceof Error && e.name === 'SessionNotFound';
      if (!expired) logError(`[oidc] ${req.method} ${path}: ${(e as Error)?.stack ?? String(e)}`);
      if (res.headersSent) return res.destroy();
      send(
        res,
        expired ? 400 : 500,
        expired
          ? messagePage('Sign-in expired', 'This sign-in has expired or was already used. Start again from the app.')
          : messagePage('Sign-in failed', 'Something went wrong.'),
      );
    });
  });
  const address = await listen(server, opts.port, opts.host ?? '127.0.0.1', 'stop what runs there, or start with OIDC_PORT=<another port>');
  return { issuer, url: httpOrigin(address), port: address.port, provider, stop: () => close(server) };
};
