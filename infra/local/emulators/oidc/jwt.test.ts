import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, importJWK, SignJWT, type JWK } from 'jose';
import { cachedVerifier, issuerFor, LOCAL_AUDIENCE, LOCAL_ISSUER, localIssuer, recordIssuer, SIGNING_KEY_FILE, signToken, verifyToken } from './jwt';

const dataDir = mkdtempSync(join(tmpdir(), 'jwt-test-'));
const otherDataDir = mkdtempSync(join(tmpdir(), 'jwt-test-other-'));
const opts = { dataDir };
const bola = { sub: 'student-bola', groups: ['student'], name: 'Bola Adeyemi', email: 'bola@example.com' };

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(otherDataDir, { recursive: true, force: true });
});

const keyFile = () => JSON.parse(readFileSync(join(dataDir, SIGNING_KEY_FILE), 'utf8')) as JWK;
const encode = (o: object) => base64url.encode(JSON.stringify(o));
const now = () => Math.floor(Date.now() / 1000);

describe('the local JWT', () => {
  it('verifies a token it signed and returns Cognito-shaped ID token claims', async () => {
    const token = await signToken(bola, opts);
    const claims = await verifyToken(token, opts);
    expect(claims).toMatchObject({
      sub: 'student-bola',
      'cognito:groups': ['student'],
      name: 'Bola Adeyemi',
      email: 'bola@example.com',
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
    });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('keeps the key pair in the data dir, readable by the owner only, and reuses it', async () => {
    const before = readFileSync(join(dataDir, SIGNING_KEY_FILE), 'utf8');
    expect(statSync(join(dataDir, SIGNING_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(keyFile()).toMatchObject({ kty: 'RSA', alg: 'RS256', kid: expect.any(String) });
    await signToken(bola, opts);
    expect(readFileSync(join(dataDir, SIGNING_KEY_FILE), 'utf8')).toBe(before);
  });

  it('honours a custom lifetime', async () => {
    const claims = await verifyToken(await signToken(bola, { ...opts, expiresIn: '30m' }), opts);
    expect(claims.exp! - claims.iat!).toBe(1800);
  });

  it('refuses an expired token', async () => {
    const token = await signToken(bola, { ...opts, now: new Date(Date.now() - 13 * 3600 * 1000) });
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });

  it('refuses a token issued in the future, beyond a minute of clock skew', async () => {
    const token = await signToken(bola, { ...opts, now: new Date(Date.now() + 5 * 60_000) });
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iat' });
  });

  it("accepts a token issued less than a minute ahead (the issuer's clock may run a little fast)", async () => {
    const claims = await verifyToken(await signToken(bola, { ...opts, now: new Date(Date.now() + 30_000) }), opts);
    expect(claims.sub).toBe('student-bola');
  });

  it('makes no token that lives longer than a day, as Cognito makes none', async () => {
    await expect(signToken(bola, { ...opts, expiresIn: '2d' })).rejects.toThrow(/at most 1 day/);
    const claims = await verifyToken(await signToken(bola, { ...opts, expiresIn: '1d' }), opts);
    expect(claims.exp! - claims.iat!).toBe(86_400);
  });

  it('refuses a token from another issuer', async () => {
    const token = await signToken(bola, { ...opts, issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/elsewhere' });
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
  });

  it('refuses a token for another audience', async () => {
    const token = await signToken(bola, { ...opts, audience: 'another-client' });
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  it('refuses a token signed with another key', async () => {
    const token = await signToken(bola, { dataDir: otherDataDir });
    await expect(verifyToken(token, opts)).rejects.toThrow();
  });

  it('refuses a token signed with another key that claims this key id', async () => {
    const other = await signToken(bola, { dataDir: otherDataDir });
    const [, payload, signature] = other.split('.');
    const forged = `${encode({ alg: 'RS256', kid: keyFile().kid, typ: 'JWT' })}.${payload}.${signature}`;
    await expect(verifyToken(forged, opts)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('refuses an unsigned (alg none) token', async () => {
    const claims = { sub: 'admin-zainab', 'cognito:groups': ['admin'], iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now(), exp: now() + 3600 };
    const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    await expect(verifyToken(unsigned, opts)).rejects.toThrow();
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const { n } = keyFile();
    const token = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: keyFile().kid })
      .setSubject('admin-zainab')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(n));
    await expect(verifyToken(token, opts)).rejects.toThrow();
  });

  it('refuses a correctly signed token without an expiry', async () => {
    const key = await importJWK(keyFile(), 'RS256');
    const token = await new SignJWT({ 'cognito:groups': ['student'] })
      .setProtectedHeader({ alg: 'RS256', kid: keyFile().kid })
      .setSubject('student-bola')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .sign(key);
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'exp' });
  });

  it('refuses a malformed token', async () => {
    await expect(verifyToken('not.a.jwt', opts)).rejects.toThrow();
    await expect(verifyToken('', opts)).rejects.toThrow();
  });
});

describe('the issuer of the local tokens', () => {
  const saved = process.env.OIDC_PORT;
  afterEach(() => {
    if (saved === undefined) delete process.env.OIDC_PORT;
    else process.env.OIDC_PORT = saved;
  });

  it('is the local OpenID provider on its default port, for the web app as audience, unless told otherwise', () => {
    delete process.env.OIDC_PORT;
    expect(LOCAL_ISSUER).toBe('http://localhost:3005');
    expect(LOCAL_AUDIENCE).toBe('mentorship-web');
    expect(issuerFor({ dataDir: otherDataDir })).toBe(LOCAL_ISSUER);
  });

  it('follows what the stack on the same data dir recorded, and OIDC_PORT before that', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwt-test-issuer-'));
    try {
      delete process.env.OIDC_PORT;
      recordIssuer(localIssuer(4105), { dataDir: dir });
      expect(issuerFor({ dataDir: dir })).toBe('http://localhost:4105');
      process.env.OIDC_PORT = '4200';
      expect(issuerFor({ dataDir: dir })).toBe('http://localhost:4200');
      process.env.OIDC_PORT = 'abc';
      expect(() => issuerFor({ dataDir: dir })).toThrow(/OIDC_PORT must be a port number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is checked against the issuer the verifier is given', async () => {
    const issuer = localIssuer(4105);
    const token = await signToken(bola, { ...opts, issuer });
    await expect(verifyToken(token, { ...opts, issuer })).resolves.toMatchObject({ iss: issuer });
    await expect(verifyToken(token, opts)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iss' });
  });
});

describe("the local gateway's verifier", () => {
  /** verifyToken at the cache's clock, counted. */
  const counted = (clock: { ms: number }) => {
    const calls = { n: 0 };
    const verify = cachedVerifier(
      (token, at) => {
        calls.n += 1;
        return verifyToken(token, { ...opts, now: at });
      },
      { now: () => clock.ms },
    );
    return { verify, calls };
  };

  it('checks a token once and answers it from memory until the moment verifyToken would refuse it (ERR_JWT_EXPIRED then)', async () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    const token = await signToken(bola, { ...opts, now: issued, expiresIn: '30m' });
    const clock = { ms: issued.getTime() };
    const { verify, calls } = counted(clock);
    await expect(verify(token)).resolves.toMatchObject({ sub: 'student-bola' });
    clock.ms += 10 * 60_000;
    await expect(verify(token)).resolves.toMatchObject({ sub: 'student-bola' });
    expect(calls.n).toBe(1);
    // exp + the minute of tolerance: the last millisecond verifyToken accepts, then the first it refuses.
    const expiresAt = issued.getTime() + 30 * 60_000 + 60_000;
    clock.ms = expiresAt - 1;
    await expect(verifyToken(token, { ...opts, now: new Date(clock.ms) })).resolves.toBeDefined();
    await expect(verify(token)).resolves.toBeDefined();
    expect(calls.n).toBe(1);
    clock.ms = expiresAt;
    await expect(verifyToken(token, { ...opts, now: new Date(clock.ms) })).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    expect(calls.n).toBe(2);
  });

  it('refuses a token past its day of age at the moment verifyToken does, whatever its exp says', async () => {
    const issued = new Date('2026-01-01T00:00:00Z');
    // Signed by hand: signToken will not make a token that claims to live longer than a day.
    const key = await importJWK(keyFile(), 'RS256');
    const iat = issued.getTime() / 1000;
    const token = await new SignJWT({ token_use: 'id', 'cognito:groups': ['student'] })
      .setProtectedHeader({ alg: 'RS256', kid: keyFile().kid!, typ: 'JWT' })
      .setSubject('student-bola')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3 * 86_400)
      .sign(key);
    const clock = { ms: issued.getTime() };
    const { verify } = counted(clock);
    await expect(verify(token)).resolves.toBeDefined();
    const lastAccepted = (iat + 86_400 + 60 + 1) * 1000 - 1;
    for (const ms of [lastAccepted, lastAccepted + 1]) {
      clock.ms = ms;
      const direct = await verifyToken(token, { ...opts, now: new Date(ms) }).then(
        () => 'accepted',
        (e: unknown) => (e as { code?: string }).code,
      );
      const cached = await verify(token).then(
        () => 'accepted',
        (e: unknown) => (e as { code?: string }).code,
      );
      expect({ ms: ms - lastAccepted, cached }).toEqual({ ms: ms - lastAccepted, cached: direct });
    }
    // jose's refusal of an old token: JWTExpired on the iat claim.
    await expect(verify(token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED', claim: 'iat' });
  });

  it('keeps no refused token: a bad signature is checked and refused every time', async () => {
    const token = await signToken(bola, opts);
    const [h, p, sig] = token.split('.');
    const forged = `${h}.${p}.${sig!.slice(0, -4)}AAAA`;
    const { verify, calls } = counted({ ms: Date.now() });
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    await expect(verify(forged)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
    expect(calls.n).toBe(2);
  });
});
