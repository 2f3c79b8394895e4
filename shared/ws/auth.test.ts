/**
 * The token rule on both doors: the ID token, and only it. The WebSocket check (aws-jwt-verify:
 * Cognito's verifier for a Cognito issuer, the generic RSA one otherwise) and the HTTP
 * handlers (the claims API Gateway's JWT authorizer passes on) refuse the same tokens.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { UnauthorizedError } from '../domain/errors';
import { callerFromEvent } from '../http/auth';
import { verifierFor } from './auth';

const COGNITO_ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Mentr0Demo';
const LOCAL_ISSUER = 'http://localhost:3005';
const CLIENT = '4example0client0id0mentorship';
const KID = 'test-key';

let privateKey: CryptoKey;
let jwk: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
});

const sign = (claims: Record<string, unknown>, issuer: string) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setSubject('5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60')
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);

/** As Cognito shapes them: the ID token names the client in `aud`, the access token in `client_id`. */
const idToken = (issuer: string) => sign({ aud: CLIENT, token_use: 'id', 'cognito:groups': ['student'], name: 'Amaka Obi', email: 'amaka@example.com' }, issuer);
const accessToken = (issuer: string) => sign({ client_id: CLIENT, token_use: 'access', scope: 'openid email profile', 'cognito:groups': ['student'] }, issuer);
/** What a relying party could also hold: an access token with the client as its audience (the local provider's style). */
const accessTokenWithAudience = (issuer: string) => sign({ aud: CLIENT, token_use: 'access', 'cognito:groups': ['student'] }, issuer);
const noTokenUse = (issuer: string) => sign({ aud: CLIENT, 'cognito:groups': ['student'] }, issuer);

const verifier = (issuer: string, jwksUrlGiven: boolean) => {
  const v = verifierFor({ issuer, audience: [CLIENT], jwksUrl: `${issuer}/.well-known/jwks.json` }, jwksUrlGiven);
  v.cacheJwks({ keys: [jwk] } as never);
  return v;
};

/** What the HTTP API hands a handler for a token that passed its JWT authorizer (claims flattened to strings). */
const httpClaimsOf = (token: string) => {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  const flat = Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : String(v)]));
  return () => callerFromEvent({ requestContext: { authorizer: { jwt: { claims: flat, scopes: [] } } } } as never);
};

describe.each([
  ['a Cognito issuer (the Cognito verifier)', COGNITO_ISSUER, false],
  ['another issuer (the generic verifier, as locally)', LOCAL_ISSUER, true],
])('The token rule, for %s', (_name, issuer, jwksUrlGiven) => {
  it('takes the ID token, on the WebSocket and on HTTP', async () => {
    const token = await idToken(issuer);
    await expect(verifier(issuer, jwksUrlGiven).verify(token)).resolves.toMatchObject({ token_use: 'id', aud: CLIENT });
    expect(httpClaimsOf(token)()).toEqual({ userId: '5f1c2f0e-0a7b-4c1e-9d0a-1b2c3d4e5f60', roles: ['student'], name: 'Amaka Obi', email: 'amaka@example.com' });
  });

  it('refuses an access token, on the WebSocket and on HTTP (where API Gateway lets it through: its client_id counts as the audience)', async () => {
    for (const token of [await accessToken(issuer), await accessTokenWithAudience(issuer)]) {
      await expect(verifier(issuer, jwksUrlGiven).verify(token)).rejects.toThrow();
      expect(httpClaimsOf(token)).toThrow(UnauthorizedError);
    }
  });

  it('refuses a token without token_use, on the WebSocket and on HTTP', async () => {
    const token = await noTokenUse(issuer);
    await expect(verifier(issuer, jwksUrlGiven).verify(token)).rejects.toThrow();
    expect(httpClaimsOf(token)).toThrow(UnauthorizedError);
  });

  it('refuses an ID token for another client', async () => {
    const token = await sign({ aud: 'another-client', token_use: 'id' }, issuer);
    await expect(verifier(issuer, jwksUrlGiven).verify(token)).rejects.toThrow();
  });
});
