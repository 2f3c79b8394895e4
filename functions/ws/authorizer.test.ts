/**
 * The $connect authorizer: the same checks as the HTTP API's JWT authorizer (signature by a key
 * of the issuer's JWKS, RS256 only, issuer, audience, expiry), keys fetched over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, SignJWT } from 'jose';
import type { Context } from 'aws-lambda';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, publicJwks, signToken } from '../../infra/local/emulators/oidc/jwt';
import { freePort } from '../../infra/local/ports';
import { handler, type WsAuthorizerEvent, type WsAuthorizerResult } from './authorizer';

const dataDir = mkdtempSync(join(tmpdir(), 'ws-authorizer-'));
const otherDataDir = mkdtempSync(join(tmpdir(), 'ws-authorizer-other-'));
const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:000000000000:abc123/prod/$connect';
let server: Server;
let jwksRequests = 0;

beforeAll(async () => {
  const jwks = JSON.stringify(await publicJwks({ dataDir }));
  server = createServer((req, res) => {
    jwksRequests += 1;
    if (req.url !== '/keys/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  Object.assign(process.env, {
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: `other-client, ${LOCAL_AUDIENCE}`,
    JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys/jwks.json`,
  });
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(otherDataDir, { recursive: true, force: true });
});

const event = (token?: string): WsAuthorizerEvent => ({
  type: 'REQUEST',
  methodArn: METHOD_ARN,
  headers: { Host: 'abc123.execute-api.eu-west-1.amazonaws.com' },
  queryStringParameters: token === undefined ? null : { token },
  requestContext: { routeKey: '$connect', connectionId: 'L0SM9cOFvHcCIhw=' },
});

const authorize = (token?: string) => handler(event(token), {} as Context);

const denied = (r: WsAuthorizerResult) => {
  expect(r.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: METHOD_ARN }]);
  expect(r.context).toBeUndefined();
};

const bola = { sub: 'student-bola', groups: ['student'], name: 'Bola' };
const encode = (o: object) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);

describe('The WebSocket authorizer', () => {
  it('allows a good token: principalId and context.userId are its subject', async () => {
    const r = await authorize(await signToken(bola, { dataDir }));
    expect(r).toEqual({
      principalId: 'student-bola',
      policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN }] },
      context: { userId: 'student-bola' },
    });
  });

  it('fetches the key set once and reuses it', async () => {
    const before = jwksRequests;
    for (let i = 0; i < 3; i += 1) expect((await authorize(await signToken(bola, { dataDir }))).context).toEqual({ userId: 'student-bola' });
    expect(jwksRequests - before).toBe(0);
  });

  it('denies a missing or empty token', async () => {
    denied(await authorize());
    denied(await authorize(''));
  });

  it('denies an expired token', async () => {
    denied(await authorize(await signToken(bola, { dataDir, now: new Date(Date.now() - 3_600_000), expiresIn: 60 })));
  });

  it('denies a token issued in the future, beyond a minute of clock skew, and allows one less than a minute ahead', async () => {
    denied(await authorize(await signToken(bola, { dataDir, now: new Date(Date.now() + 5 * 60_000) })));
    expect((await authorize(await signToken(bola, { dataDir, now: new Date(Date.now() + 30_000) }))).context).toEqual({ userId: 'student-bola' });
  });

  it('denies a token from another issuer', async () => {
    denied(await authorize(await signToken(bola, { dataDir, issuer: 'https://evil.example.com' })));
  });

  it('denies a token for another audience', async () => {
    denied(await authorize(await signToken(bola, { dataDir, audience: 'someone-else' })));
  });

  it('denies an unsigned token (alg: none)', async () => {
    const claims = { sub: 'student-bola', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now(), exp: now() + 3600 };
    denied(await authorize(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`));
  });

  it('denies an HS256 token, even one keyed with the public key material and naming its kid', async () => {
    const jwk = (await publicJwks({ dataDir })).keys[0]!;
    const secret = new TextEncoder().encode(JSON.stringify(jwk));
    const forged = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: jwk.kid! })
      .setSubject('admin-zainab')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    denied(await authorize(forged));
  });

  it('denies a token signed with a key that is not in the key set', async () => {
    denied(await authorize(await signToken(bola, { dataDir: otherDataDir })));
  });

  it('denies a tampered token', async () => {
    const [h, , s] = (await signToken(bola, { dataDir })).split('.');
    const claims = { sub: 'admin-zainab', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now(), exp: now() + 3600 };
    denied(await authorize(`${h}.${encode(claims)}.${s}`));
  });

  it('denies garbage', async () => {
    denied(await authorize('not-a-jwt'));
  });

  it('denies (and does not crash) when the key set cannot be fetched', async () => {
    const saved = process.env.JWT_JWKS_URL;
    process.env.JWT_JWKS_URL = `http://127.0.0.1:${await freePort()}/jwks.json`;
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      denied(await authorize(await signToken(bola, { dataDir })));
      expect(spy).toHaveBeenCalledWith(expect.stringContaining('WebSocket connection refused'));
      const line = spy.mock.calls.map(([l]) => JSON.parse(String(l))).find((l) => l.message === 'WebSocket connection refused');
      expect(line).toMatchObject({ level: 'ERROR', connectionId: 'L0SM9cOFvHcCIhw=' });
      expect(spy.mock.calls.flat().join('\n')).not.toContain('eyJ');
    } finally {
      spy.mockRestore();
      process.env.JWT_JWKS_URL = saved;
    }
  });
});
