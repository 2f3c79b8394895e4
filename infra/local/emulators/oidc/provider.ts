/**
 * The local stack's OpenID Connect provider, what Cognito's managed login is on AWS, built on
 * `oidc-provider`; only the sign-in pages (./interactions.ts) and the account lookup are ours. Its ID
 * tokens are shaped like Cognito's and signed with the key the local gateways verify with
 * (./jwt.ts); as on Cognito, every code grant gets a refresh token, not rotated, and a refresh
 * reads the user's roles afresh. State lives in memory (./store.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import { DEFAULT_OIDC_PORT, LOCAL_AUDIENCE, localIssuer } from './jwt';
import { messagePage, signOutPage, type PageUser } from './pages';
import { httpOrigin, listen } from '../../ports';
import { INTERACTION, interactions, send, type OidcUsers } from './interactions';
import { memoryAdapter } from './store';

export { localUserIdFor, signUpForm, type OidcUsers } from './interactions';

/** The web app's OAuth client: public (no secret), PKCE S256, as the Cognito app client. */
export const WEB_CLIENT_ID = LOCAL_AUDIENCE;
export const WEB_SCOPES = 'openid email profile';
export const DEFAULT_WEB_PORT = 5173;
export { DEFAULT_OIDC_PORT };

/** The web app's origins on `webPort`: localhost and 127.0.0.1, as a browser may use either. */
export const webOrigins = (webPort: number): string[] => [`http://localhost:${webPort}`, `http://127.0.0.1:${webPort}`];

/** Where the provider sends the browser back after sign-in, per web origin. */
export const callbackPath = '/auth/callback';

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
