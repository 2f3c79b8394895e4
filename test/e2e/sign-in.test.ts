/**
 * Signing in to the local stack as the web app does (test/support/oidc.ts plays the browser):
 * discovery, the authorization code flow with PKCE at the stack's OpenID provider, a demo
 * user's button or the sign-up form, the code for tokens at the token endpoint; then the ID
 * token on the HTTP API and the WebSocket API, a refresh, and a new student who signed up
 * booking a session with one of this file's tutors.
 */
import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { slotIn, useLocalStack } from '../support/local-stack';
import { useE2eUsers } from '../support/e2e';
import { authorize, chooseUser, CLIENT_ID, discover, exchangeCode, refresh, signUpOn, WEB_ORIGIN, type Discovery, type TokenSet } from '../support/oidc';
import { openSocket } from '../support/ws';
import { DEMO_USERS } from '../../infra/local/demo-data';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'sign-in');

const withToken = (idToken: string) => ({ authorization: `Bearer ${idToken}` });

let discovery: Discovery;
beforeAll(async () => {
  discovery = await discover(stack.issuer);
});

describe('Signing in through the local OpenID provider', () => {
  let tokens: TokenSet;

  it('finds the provider by discovery at the issuer every local token names', () => {
    expect(discovery).toMatchObject({ issuer: stack.issuer, code_challenge_methods_supported: ['S256'], jwks_uri: `${stack.issuer}/.well-known/jwks.json` });
  });

  it('signs in a demo user by the code flow with PKCE: an ID token shaped like Cognito’s, verified against the JWKS', async () => {
    const request = await authorize(discovery);
    expect(request.page).toMatchObject({ status: 200 });
    const code = await chooseUser(request, 'Bola Adeyemi');
    tokens = await exchangeCode(discovery, request, code);
    const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: stack.issuer, audience: CLIENT_ID, algorithms: ['RS256'] });
    expect(payload).toMatchObject({
      iss: stack.issuer,
      aud: CLIENT_ID,
      sub: 'student-bola',
      token_use: 'id',
      'cognito:groups': ['student'],
      name: 'Bola Adeyemi',
      email: 'bola@example.com',
      auth_time: expect.any(Number),
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
  });

  it('calls the API with the ID token', async () => {
    expect((await stack.api('GET', '/health')).status).toBe(200);
    const res = await stack.api('GET', '/me', { headers: withToken(tokens.id_token) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'student-bola', name: 'Bola Adeyemi', email: 'bola@example.com', roles: ['student'] });
    // The access token is for the provider's userinfo only, as Cognito's is not for this API: the ID token is the one to send.
    expect((await stack.api('GET', '/me', { headers: withToken(tokens.access_token) })).status).toBe(401);
  });

  it('is let through by the API’s CORS from the web app’s origin', async () => {
    const preflight = await fetch(`${stack.url}/me/sessions`, {
      method: 'OPTIONS',
      headers: { origin: WEB_ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(WEB_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('opens the WebSocket with the same ID token', async () => {
    const socket = await openSocket(`${stack.wsUrl}/`, tokens.id_token);
    try {
      socket.send(JSON.stringify({ type: 'ping' }));
      await socket.waitFor((f) => f?.type === 'pong');
    } finally {
      await socket.close();
    }
  });

  it('refreshes: a new ID token the API takes', async () => {
    const refreshed = await refresh(discovery, tokens.refresh_token!);
    expect(decodeJwt(refreshed.id_token)).toMatchObject({ sub: 'student-bola', token_use: 'id', 'cognito:groups': ['student'] });
    expect((await stack.api('GET', '/me', { headers: withToken(refreshed.id_token) })).status).toBe(200);
  });
});

describe('Signing up through the local OpenID provider', () => {
  let student: { id: string; tokens: TokenSet };

  it('makes a student who can book a session', async () => {
    const email = `sign-in-${randomBytes(4).toString('hex')}@example.com`;
    const request = await authorize(discovery);
    const answer = await signUpOn(request, { name: 'Ngozi Eze', email });
    if (!('code' in answer)) throw new Error(`Sign-up answered ${answer.page.status}: ${answer.page.html}`);
    const tokens = await exchangeCode(discovery, request, answer.code);
    const claims = decodeJwt(tokens.id_token);
    expect(claims).toMatchObject({ iss: stack.issuer, aud: CLIENT_ID, token_use: 'id', 'cognito:groups': ['student'], name: 'Ngozi Eze', email });
    student = { id: claims.sub!, tokens };
    expect((await stack.api('GET', '/me', { headers: withToken(tokens.id_token) })).body).toMatchObject({ id: claims.sub, name: 'Ngozi Eze', email, roles: ['student'] });

    const booked = await stack.api('POST', '/sessions', {
      headers: withToken(tokens.id_token),
      body: { tutorId: u.ada, scheduledAt: slotIn(3, 9), durationMinutes: 60, title: 'First session', bookingMode: 'INSTANT' },
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ session: { studentId: claims.sub, tutorId: u.ada, status: 'SCHEDULED' }, payment: { authorizationUrl: expect.any(String) } });

    // Signing up again with the same email signs in the same user.
    const again = await authorize(discovery);
    const second = await signUpOn(again, { name: 'Ngozi Eze', email: email.toUpperCase() });
    if (!('code' in second)) throw new Error(`Second sign-up answered ${second.page.status}`);
    expect(decodeJwt((await exchangeCode(discovery, again, second.code)).id_token).sub).toBe(claims.sub);
  });

  it('gives the tutor role to the next ID token once an admin approved their application', async () => {
    const profile = { ...DEMO_USERS.find((d) => d.id === 'tutor-ada')!.profile, displayName: 'Ngozi Eze' };
    const applied = await stack.api('POST', '/me/tutor-application', { headers: withToken(student.tokens.id_token), body: profile });
    expect(applied.status).toBe(201);
    expect((await stack.api('POST', `/admin/tutor-applications/${student.id}/approve`, { as: u.admin })).status).toBe(200);

    const refreshed = await refresh(discovery, student.tokens.refresh_token!);
    expect(decodeJwt(refreshed.id_token)['cognito:groups']).toEqual(expect.arrayContaining(['student', 'tutor']));
    expect((await stack.api('GET', '/me', { headers: withToken(refreshed.id_token) })).body).toMatchObject({ roles: expect.arrayContaining(['student', 'tutor']) });
  });
});
