/**
 * The WebSocket API's $connect check: the tokens the HTTP API takes, and only those. WebSocket
 * APIs have no JWT authorizer, so our REQUEST authorizer verifies with aws-jwt-verify, the
 * library made for Cognito's tokens: a key from the issuer's JWKS by `kid`, issuer, audience
 * (the app client id), expiry, and `token_use: "id"` (the one token the API takes; the
 * handlers refuse any other, shared/http/auth.ts). For a Cognito issuer it is the Cognito
 * verifier (keys from the user pool's JWKS); for any other issuer (the local OpenID provider)
 * the same library's generic verifier, keys from `${issuer}/.well-known/jwks.json` or
 * JWT_JWKS_URL. Either way the key set is fetched once per container and cached.
 */
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwkValidationError, JwksValidationError, JwtBaseError, ParameterValidationError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { jwtSettings, type JwtSettings } from './config';

/**
 * The time checks, shared with the local stack's stand-in for the HTTP API's authorizer
 * (infra/local/emulators/oidc/jwt.ts). API Gateway wants `exp` after now and `iat` and `nbf` before now; a
 * minute of tolerance covers clocks that drift apart. A token may be at most a day old: the
 * longest a Cognito ID token lives, so `exp` refuses such a token at the same moment.
 */
export const TOKEN_TIME_CHECKS = { clockTolerance: 60, maxTokenAge: '1d' } as const;
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

/** A token that verified but is not one the API takes. */
class NotAcceptable extends Error {
  override name = 'NotAcceptable';
}

/** The token the API takes: an ID token, issued no later than now (with the tolerance), at most a day ago. */
const idTokenCheck = ({ payload }: { payload: JwtPayload }): void => {
  const now = Date.now() / 1000;
  if (payload.token_use !== 'id') throw new NotAcceptable('Not an ID token');
  if (typeof payload.iat !== 'number') throw new NotAcceptable('No issue time');
  if (payload.iat > now + TOKEN_TIME_CHECKS.clockTolerance) throw new NotAcceptable('Issued in the future');
  if (now - payload.iat > MAX_TOKEN_LIFETIME_SECONDS + TOKEN_TIME_CHECKS.clockTolerance) throw new NotAcceptable('Too old');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new NotAcceptable('No subject');
};

/** The library's fetcher speaks https only; the local provider serves its keys over http. */
const plainFetcher: Fetcher = {
  fetch: async (uri) => {
    let res: Response;
    try {
      res = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    } catch (e) {
      throw new FetchError(uri, (e as Error).message);
    }
    if (res.status !== 200) throw new FetchError(uri, `Status code is ${res.status}, expected 200`);
    return res.arrayBuffer();
  },
};

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\/([a-z0-9-]+_[0-9A-Za-z]+)$/;

interface Verifier {
  verify(token: string): Promise<JwtPayload>;
  /** Puts a key set in the cache (tests: Cognito's keys cannot be fetched offline). */
  cacheJwks(jwks: Parameters<JwtVerifierType['cacheJwks']>[0]): void;
}
type JwtVerifierType = ReturnType<typeof JwtVerifier.create>;

/** The verifier for these settings: Cognito's for a Cognito issuer (unless JWT_JWKS_URL names other keys), else the generic one. */
export const verifierFor = (s: JwtSettings, jwksUrlGiven: boolean): Verifier => {
  const common = { graceSeconds: TOKEN_TIME_CHECKS.clockTolerance, customJwtCheck: idTokenCheck };
  const pool = COGNITO_ISSUER.exec(s.issuer)?.[1];
  if (pool && !jwksUrlGiven) return CognitoJwtVerifier.create({ userPoolId: pool, tokenUse: 'id', clientId: s.audience, ...common });
  const cache = s.jwksUrl.startsWith('http:') ? new SimpleJwksCache({ fetcher: plainFetcher }) : undefined;
  return JwtVerifier.create({ issuer: s.issuer, audience: s.audience, jwksUri: s.jwksUrl, ...common }, cache ? { jwksCache: cache } : undefined);
};

const verifiers = new Map<string, Verifier>();

const verifier = (): Verifier => {
  const s = jwtSettings();
  const jwksUrlGiven = Boolean(process.env.JWT_JWKS_URL?.trim());
  const key = JSON.stringify([s, jwksUrlGiven]);
  let v = verifiers.get(key);
  if (!v) verifiers.set(key, (v = verifierFor(s, jwksUrlGiven)));
  return v;
};

export type TokenCheck = { ok: true; claims: JwtPayload & { sub: string } } | { ok: false; reason: string; code?: string; fault?: boolean };

/** The check itself failed (keys unreachable or malformed, settings wrong), as opposed to a token that is not acceptable. */
const isFault = (e: unknown): boolean =>
  !(e instanceof JwtBaseError || e instanceof NotAcceptable) ||
  e instanceof FetchError ||
  e instanceof JwksValidationError ||
  e instanceof JwkValidationError ||
  e instanceof ParameterValidationError;

/** Verifies the token. Either way of failing (a fault, or a token that is not acceptable): not ok. */
export const checkToken = async (token: string | undefined | null): Promise<TokenCheck> => {
  if (!token) return { ok: false, reason: 'No token' };
  try {
    const claims = await verifier().verify(token);
    return { ok: true, claims: claims as JwtPayload & { sub: string } };
  } catch (e) {
    return { ok: false, reason: (e as Error).message, code: (e as Error).name, fault: isFault(e) };
  }
};
