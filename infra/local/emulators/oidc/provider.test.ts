/**
 * The local OpenID provider as the web app meets it, over HTTP: discovery, the authorization
 * code flow with PKCE (and what it refuses), the sign-in page and its sign-up form, ID tokens
 * shaped like Cognito's and accepted by the local gateway's verification, refresh, CORS.
 * Users live in a map here; the e2e tier runs it on the table (test/e2e/sign-in.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { User } from '../../../../shared/data/users';
import { DEMO_USERS } from '../../demo-data';
import { LOCAL_AUDIENCE, signingJwk, verifyToken } from './jwt';
import { localUserIdFor, startLocalOidc, webOrigins, type LocalOidc } from './provider';
import { freePort } from '../../ports';
import {
  authorize,
  Browser,
  buttonOn,
  chooseUser,
  CLIENT_ID,
  discover,
  exchangeCode,
  refresh,
  REDIRECT_URI,
  revoke,
  signOut,
  signUpOn,
  tokenRequest,
  WEB_ORIGIN,
  type Discovery,
} from '../../../../test/support/oidc';

const dataDir = mkdtempSync(join(tmpdir(), 'oidc-test-'));
const users = new Map<string, User>(
  DEMO_USERS.map((u) => [u.id, { id: u.id, displayName: u.displayName, email: u.email, roles: [...u.roles], createdAt: '2024-01-01T00:00:00.000Z' }]),
);
const signUps: { userId: string; name: string; email: string }[] = [];
let oidc: LocalOidc;
let discovery: Discovery;

beforeAll(async () => {
  oidc = await startLocalOidc({
    port: await freePort(),
    signingKey: await signingJwk({ dataDir }),
    // The origin the sign-in helpers use (the e2e stack's web origin when that tier runs in the same jest run).
    webOrigins: webOrigins(Number(new URL(WEB_ORIGIN).port)),
    signInUsers: DEMO_USERS,
    users: {
      find: async (id) => users.get(id),
      signUp: async (input) => {
        signUps.push(input);
        const existing = users.get(input.userId);
        if (existing) return existing;
        const user: User = { id: input.userId, displayName: input.name, email: input.email, roles: ['student'], createdAt: new Date().toISOString() };
        users.set(user.id, user);
        return user;
      },
    },
  });
  discovery = await discover(oidc.issuer);
});

afterAll(async () => {
  await oidc?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Discovery', () => {
  it('names the issuer (http://localhost:<port>), the code flow with S256 only, and the key set where Cognito serves it', () => {
    expect(oidc.issuer).toBe(`http://localhost:${oidc.port}`);
    expect(discovery).toMatchObject({
      issuer: oidc.issuer,
      jwks_uri: `${oidc.issuer}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      scopes_supported: expect.arrayContaining(['openid', 'email', 'profile']),
      claims_supported: expect.arrayContaining(['cognito:groups', 'token_use', 'email', 'name']),
    });
  });

  it('serves the local signing key: the one the gateways verify with', async () => {
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([(await signingJwk({ dataDir })).kid]);
    expect(jwks.keys[0]!.d).toBeUndefined();
  });
});

describe('The sign-in page', () => {
  it('has a button per user, named by the display name, and the sign-up form', async () => {
    const { page } = await authorize(discovery);
    expect(page!.status).toBe(200);
    for (const u of DEMO_USERS) expect(buttonOn(page!, u.displayName).field).toEqual({ userId: u.id });
    expect(page!.html).toContain('<label for="name">Name</label>');
    expect(page!.html).toContain('<label for="email">Email</label>');
    expect(buttonOn(page!, 'Sign up').action).toMatch(/\/signup$/);
  });
});

describe('An interaction page without its cookie', () => {
  it('says the sign-in expired and to start again, for the page and its forms', async () => {
    const { page } = await authorize(discovery);
    const stranger = new Browser();
    for (const res of [await stranger.request(page!.url), await stranger.request(`${page!.url}/login`, { method: 'POST', form: { userId: 'tutor-ada' } })]) {
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('This sign-in has expired or was already used. Start again from the app.');
    }
  });
});

describe('Authorization code with PKCE', () => {
  it('gives a Cognito-shaped ID token for the chosen user, verified against the JWKS and accepted by the local gateway', async () => {
    const request = await authorize(discovery);
    const before = Math.floor(Date.now() / 1000);
    const tokens = await exchangeCode(discovery, request, await chooseUser(request, 'Ada Okafor'));
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_token: expect.any(String) });
    const { payload, protectedHeader } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: oidc.issuer, audience: CLIENT_ID });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: (await signingJwk({ dataDir })).kid });
    expect(payload).toMatchObject({
      iss: oidc.issuer,
      aud: LOCAL_AUDIENCE,
      sub: 'tutor-ada',
      token_use: 'id',
      'cognito:groups': ['tutor'],
      'cognito:username': 'tutor-ada',
      name: 'Ada Okafor',
      email: 'ada@example.com',
      email_verified: true,
    });
    expect(payload.auth_time).toBeGreaterThanOrEqual(before - 1);
    expect(payload.exp! - payload.iat!).toBe(3600);
    await expect(verifyToken(tokens.id_token, { dataDir, issuer: oidc.issuer })).resolves.toMatchObject({ sub: 'tutor-ada' });
  });

  it('refuses an authorization request without a code challenge, or with the plain method', async () => {
    for (const variant of [{ omit: ['code_challenge', 'code_challenge_method'] }, { params: { code_challenge_method: 'plain', code_challenge: 'x'.repeat(43) } }]) {
      const { callback, page } = await authorize(discovery, variant);
      expect(page).toBeUndefined();
      expect(callback!.searchParams.get('error')).toBe('invalid_request');
      expect(callback!.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses a code without the right verifier', async () => {
    const request = await authorize(discovery);
    const code = await chooseUser(request, 'Bola Adeyemi');
    const res = await tokenRequest(discovery, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: 'a'.repeat(43) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a redirect URI the client does not have, without redirecting there', async () => {
    for (const redirect of ['http://localhost:1/auth/callback', 'https://evil.example.com/auth/callback', `${WEB_ORIGIN}/elsewhere`]) {
      const { page, callback } = await authorize(discovery, { params: { redirect_uri: redirect } });
      expect(callback).toBeUndefined();
      expect(page!.status).toBe(400);
      expect(page!.html).toContain('redirect_uri');
    }
  });

  it('takes the 127.0.0.1 form of the web origin as well', async () => {
    const request = await authorize(discovery, { params: { redirect_uri: `http://127.0.0.1:${new URL(WEB_ORIGIN).port}/auth/callback` } });
    expect(request.page!.status).toBe(200);
  });

  it('refuses an unknown client', async () => {
    const { page } = await authorize(discovery, { params: { client_id: 'someone-else' } });
    expect(page!.status).toBe(400);
    expect(page!.html).toContain('invalid_client');
  });
});

describe('Refresh tokens', () => {
  it('come with the code grant without offline_access, and a refresh reads the roles afresh', async () => {
    const request = await authorize(discovery);
    const tokens = await exchangeCode(discovery, request, await chooseUser(request, 'Chidi Okeke'));
    expect(decodeJwt(tokens.id_token)['cognito:groups']).toEqual(['student']);
    users.set('student-chidi', { ...users.get('student-chidi')!, roles: ['student', 'tutor'] });
    try {
      const refreshed = await refresh(discovery, tokens.refresh_token!);
      expect(decodeJwt(refreshed.id_token)).toMatchObject({ sub: 'student-chidi', token_use: 'id', 'cognito:groups': ['student', 'tutor'], name: 'Chidi Okeke' });
      // Not rotated, as on Cognito: the same refresh token keeps working.
      await expect(refresh(discovery, tokens.refresh_token!)).resolves.toMatchObject({ id_token: expect.any(String) });
    } finally {
      users.set('student-chidi', { ...users.get('student-chidi')!, roles: ['student'] });
    }
  });
});

describe('Signing out', () => {
  it('ends the sign-in session, not the refresh token (as Cognito’s logout); revocation ends that', async () => {
    const browser = new Browser();
    const first = await authorize(discovery, { browser });
    const tokens = await exchangeCode(discovery, first, await chooseUser(first, 'Bola Adeyemi'));
    // Still signed in at the provider: the next authorization comes straight back with a code.
    const silent = await authorize(discovery, { browser });
    expect(silent.page).toBeUndefined();
    expect(silent.callback!.searchParams.get('code')).toEqual(expect.any(String));

    const back = await signOut(discovery, browser, tokens.id_token);
    expect(`${back.origin}${back.pathname}`).toBe(`${WEB_ORIGIN}/`);
    expect(back.searchParams.get('state')).toBe('signed-out');
    expect((await authorize(discovery, { browser })).page).toMatchObject({ status: 200 });

    await expect(refresh(discovery, tokens.refresh_token!)).resolves.toMatchObject({ id_token: expect.any(String) });
    expect((await revoke(discovery, tokens.refresh_token!, 'refresh_token')).status).toBe(200);
    await expect(refresh(discovery, tokens.refresh_token!)).rejects.toThrow(/invalid_grant/);
  });
});

describe('CORS at the token endpoint', () => {
  it('answers the web origin and not another one', async () => {
    const preflight = (origin: string) =>
      fetch(discovery.token_endpoint, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect((await preflight(WEB_ORIGIN)).headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);

    const request = await authorize(discovery);
    const code = await chooseUser(request, 'Bola Adeyemi');
    const foreign = await tokenRequest(
      discovery,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: request.verifier },
      'https://evil.example.com',
    );
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.status).toBe(400);
  });
});

describe('Sign-up', () => {
  it('shows what is wrong with the form, keeping what was typed', async () => {
    const request = await authorize(discovery);
    const answer = await signUpOn(request, { name: '  ', email: 'not-an-email' });
    expect('page' in answer).toBe(true);
    const { page } = answer as { page: { status: number; html: string } };
    expect(page.status).toBe(400);
    expect(page.html).toContain('role="alert"');
    expect(page.html).toContain('Enter your name');
    expect(page.html).toContain('Enter an email address like name@example.com');
    expect(page.html).toMatch(/id="email"[^>]*value="not-an-email" aria-invalid="true" aria-describedby="email-error"/);
    expect(signUps).toHaveLength(0);
  });

  it('makes a student with an id stable per email, and signs them in; the same email again is the same user', async () => {
    const subs: string[] = [];
    for (const email of ['Funke@Example.com', ' funke@example.com ']) {
      const request = await authorize(discovery);
      const answer = await signUpOn(request, { name: 'Funke Ade', email });
      const tokens = await exchangeCode(discovery, request, (answer as { code: string }).code);
      const claims = decodeJwt(tokens.id_token);
      expect(claims).toMatchObject({ token_use: 'id', 'cognito:groups': ['student'], name: 'Funke Ade' });
      subs.push(claims.sub!);
    }
    expect(subs[0]).toBe(localUserIdFor('funke@example.com'));
    expect(subs[1]).toBe(subs[0]);
    expect(signUps.map((s) => s.userId)).toEqual([subs[0], subs[0]]);
  });
});
