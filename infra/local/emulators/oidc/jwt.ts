/**
 * Local stand-in for Cognito's ID tokens: an RS256 key pair made on first use and kept as a
 * JWK in `<dataDir>/jwt-signing-key.json` (mode 0600), shared by the local OpenID provider and
 * `npm run token` (sign) and the local gateways (verify). The verification makes the checks API Gateway's JWT
 * authorizer makes: a key from the JWKS by `kid`, RS256 only, issuer, audience, expiry, an
 * issue time not in the future (with the WebSocket authorizer's tolerance, shared/ws/auth.ts).
 *
 * Nothing here is used in AWS; deployed stacks verify real Cognito tokens in API Gateway.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';
import { MAX_TOKEN_LIFETIME_SECONDS, TOKEN_TIME_CHECKS } from '../../../../shared/ws/auth';

/** Where the local OpenID provider listens unless OIDC_PORT says otherwise. */
export const DEFAULT_OIDC_PORT = 3005;
/** The local provider's issuer: its origin, as a Cognito user pool's issuer is its own URL. */
export const localIssuer = (oidcPort: number): string => `http://localhost:${oidcPort}`;
export const LOCAL_ISSUER = localIssuer(DEFAULT_OIDC_PORT);
/** The web app's OAuth client id: the `aud` of its ID tokens, as a Cognito app client's id is. */
export const LOCAL_AUDIENCE = 'mentorship-web';
/** Where `npm start` records its issuer, so `npm run token` on the same data dir mints tokens it accepts. */
export const ISSUER_FILE = 'oidc-issuer';
export const DEFAULT_TOKEN_LIFETIME = '12h';
export const SIGNING_KEY_FILE = 'jwt-signing-key.json';

const ALG = 'RS256';
const PROJECT_ROOT = resolve(process.cwd());

/** Where the local stack keeps its state: `LOCAL_DATA_DIR`, or `<project>/.local` (git-ignored). */
export const localDataDir = (): string => resolve(process.env.LOCAL_DATA_DIR || join(PROJECT_ROOT, '.local'));

interface SigningKey {
  kid: string;
  /** The private key as read from the file. */
  jwk: JWK;
  privateKey: CryptoKey;
  jwks: ReturnType<typeof createLocalJWKSet>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

const publicJwk = (jwk: JWK): JWK => {
  const pub: JWK = { ...jwk };
  for (const m of PRIVATE_MEMBERS) delete (pub as Record<string, unknown>)[m];
  return pub;
};

/**
 * Reads the key file, or creates it. Creation writes a temporary file and hard-links it into
 * place, so two processes starting at once (token and start) never see a half-written file
 * and never overwrite each other's key: the loser of the race reads the winner's.
 */
const readOrCreateJwk = async (dataDir: string): Promise<JWK> => {
  const file = join(dataDir, SIGNING_KEY_FILE);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read the local signing key ${file}: ${(e as Error).message}`, { cause: e });
  }
  mkdirSync(dataDir, { recursive: true });
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const full: JWK = { ...jwk, alg: ALG, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return full;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } finally {
    unlinkSync(tmp);
  }
};

const cache = new Map<string, Promise<SigningKey>>();

const loadKey = (dataDir: string): Promise<SigningKey> => {
  let key = cache.get(dataDir);
  if (!key) {
    key = (async () => {
      const jwk = await readOrCreateJwk(dataDir);
      const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk));
      const privateKey = (await importJWK({ ...jwk, kid }, ALG)) as CryptoKey;
      return { kid, jwk, privateKey, jwks: createLocalJWKSet(localJwks(jwk, kid)) };
    })();
    key.catch(() => cache.delete(dataDir));
    cache.set(dataDir, key);
  }
  return key;
};

const localJwks = (jwk: JWK, kid: string): JSONWebKeySet => ({ keys: [{ ...publicJwk(jwk), kid, alg: ALG, use: 'sig' }] });

/** The private key as a JWK with its `kid`, for the local OpenID provider to sign with. */
export const signingJwk = async (opts: { dataDir?: string } = {}): Promise<JWK> => {
  const { jwk, kid } = await loadKey(resolve(opts.dataDir ?? localDataDir()));
  return { ...jwk, kid, alg: ALG, use: 'sig' };
};

/** Records the issuer the stack on this data dir runs with (written whole, by a rename). */
export const recordIssuer = (issuer: string, opts: { dataDir?: string } = {}): void => {
  const dataDir = resolve(opts.dataDir ?? localDataDir());
  const file = join(dataDir, ISSUER_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${issuer}\n`);
  renameSync(tmp, file);
};

/**
 * The issuer tokens for this data dir carry: http://localhost:$OIDC_PORT when that is set, else
 * the one the last `npm start` on it recorded, else the default port's.
 */
export const issuerFor = (opts: { dataDir?: string } = {}): string => {
  const port = process.env.OIDC_PORT;
  if (port) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0) throw new Error(`OIDC_PORT must be a port number, got "${port}"`);
    return localIssuer(Number(port));
  }
  try {
    const recorded = readFileSync(join(resolve(opts.dataDir ?? localDataDir()), ISSUER_FILE), 'utf8').trim();
    if (recorded) return recorded;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return LOCAL_ISSUER;
};

/** The public half as a JWKS document (what Cognito serves at /.well-known/jwks.json). */
export const publicJwks = async (opts: { dataDir?: string } = {}): Promise<JSONWebKeySet> => (await loadKey(resolve(opts.dataDir ?? localDataDir()))).jwks.jwks();

export interface TokenSubject {
  sub: string;
  /** Becomes the `cognito:groups` claim: the caller's roles. */
  groups: readonly string[];
  name?: string;
  email?: string;
}

export interface SignOptions {
  /** jose time span ('12h', '30m') or seconds; default 12 h, at most a day (as Cognito's ID tokens). */
  expiresIn?: string | number;
  /** Issue time; default now. Lets tests make already-expired tokens. */
  now?: Date;
  dataDir?: string;
  issuer?: string;
  audience?: string;
}

/** A token shaped like a Cognito ID token, signed with the local key. */
export const signToken = async (subject: TokenSubject, opts: SignOptions = {}): Promise<string> => {
  const key = await loadKey(resolve(opts.dataDir ?? localDataDir()));
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const lifetime = opts.expiresIn ?? DEFAULT_TOKEN_LIFETIME;
  const exp = typeof lifetime === 'number' ? iat + lifetime : relative(iat, lifetime);
  // The verifiers refuse a token older than that (TOKEN_TIME_CHECKS): never make one that claims to live longer.
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) throw new Error(`A token may live at most 1 day, as a Cognito ID token (asked: ${lifetime})`);
  return new SignJWT({
    'cognito:groups': [...subject.groups],
    ...(subject.name !== undefined ? { name: subject.name } : {}),
    ...(subject.email !== undefined ? { email: subject.email } : {}),
    token_use: 'id',
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setSubject(subject.sub)
    .setIssuer(opts.issuer ?? LOCAL_ISSUER)
    .setAudience(opts.audience ?? LOCAL_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
};

/** '90s', '30m', '12h', '2d' → an absolute exp (seconds) from iat. */
const relative = (iat: number, span: string): number => {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(span.trim());
  if (!m) throw new Error(`Cannot read the token lifetime "${span}" (use e.g. 90s, 30m, 12h, 2d)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return iat + Number(m[1]) * unit;
};

/**
 * Verifies a token the way API Gateway's JWT authorizer does and returns its claims; throws a
 * jose error (with a `code` such as ERR_JWT_EXPIRED) otherwise.
 */
export const verifyToken = async (token: string, opts: { dataDir?: string; issuer?: string; now?: Date } = {}): Promise<JWTPayload> => {
  const key = await loadKey(resolve(opts.dataDir ?? localDataDir()));
  const { payload } = await jwtVerify(token, key.jwks, {
    algorithms: [ALG],
    issuer: opts.issuer ?? LOCAL_ISSUER,
    audience: LOCAL_AUDIENCE,
    requiredClaims: ['exp'],
    ...TOKEN_TIME_CHECKS,
    ...(opts.now ? { currentDate: opts.now } : {}),
  });
  return payload;
};

/**
 * The first moment (ms) a verified token fails a time check: `exp` (with the tolerance) or its
 * age past a day. The other checks (signature, issuer, audience; `iat` and `nbf` not ahead of
 * now) hold for good once they held, so a verified token stays good until then.
 */
const refusedFrom = (claims: JWTPayload): number => {
  const tolerance = TOKEN_TIME_CHECKS.clockTolerance;
  // As jose compares: whole seconds, `exp <= now - tolerance` and `now - iat - tolerance > max age` fail.
  const byExp = (claims.exp! + tolerance) * 1000;
  const byAge = claims.iat === undefined ? Infinity : (claims.iat + MAX_TOKEN_LIFETIME_SECONDS + tolerance + 1) * 1000;
  return Math.min(byExp, byAge);
};

/**
 * A verifier that checks a token once (`verify`, at the time `now` gives) and then answers its
 * claims from memory until the moment a time check would refuse it: a browser or a test sends
 * the same token on every request. A refused token is never kept: it is checked, and refused,
 * every time. At most `maxTokens` are kept, the oldest dropped first.
 */
export const cachedVerifier = (
  verify: (token: string, now: Date) => Promise<JWTPayload>,
  opts: { now?: () => number; maxTokens?: number } = {},
): ((token: string) => Promise<JWTPayload>) => {
  const now = opts.now ?? Date.now;
  const max = opts.maxTokens ?? 10_000;
  const verified = new Map<string, { claims: JWTPayload; until: number }>();
  return async (token) => {
    const hit = verified.get(token);
    if (hit && now() < hit.until) return hit.claims;
    verified.delete(token);
    const claims = await verify(token, new Date(now()));
    // A Map iterates in insertion order: the first key is the oldest.
    if (verified.size >= max) verified.delete(verified.keys().next().value!);
    verified.set(token, { claims, until: refusedFrom(claims) });
    return claims;
  };
};

/**
 * The local gateway's verifier: `verifyToken`, once per token. Each RS256 check is a WebCrypto
 * job on the thread pool, a round trip of the one event loop the whole local stack shares, on
 * every request; API Gateway's authorizer makes its check outside the function.
 */
export const cachedTokenVerifier = (opts: { dataDir?: string; issuer?: string } = {}) => cachedVerifier((token, now) => verifyToken(token, { ...opts, now }));
