/**
 * The WebSocket API's $connect check: the same verification the HTTP API's JWT authorizer
 * makes (a key from the issuer's JWKS by `kid`, RS256 only, issuer, audience, expiry, an
 * issue time not in the future), done
 * by our REQUEST authorizer because WebSocket APIs have no JWT authorizer. The key set is
 * fetched from the issuer (Cognito: `${issuer}/.well-known/jwks.json`), or from JWT_JWKS_URL
 * (the local stack serves its own), once per container and cached by jose.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { jwtSettings } from './config';

export const TOKEN_ALGORITHM = 'RS256';

/**
 * The time checks, shared with the local stack's stand-in for the HTTP API's authorizer
 * (infra/local/jwt.ts). API Gateway wants `exp` after now and `iat` and `nbf` before now; a
 * minute of tolerance covers clocks that drift apart. jose checks `iat` only together with a
 * maximum age: a day, the longest a Cognito ID token lives, so `exp` refuses such a token at
 * the same moment and the age adds no rule of its own.
 */
export const TOKEN_TIME_CHECKS = { clockTolerance: 60, maxTokenAge: '1d' } as const;
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

const keySet = (url: string) => {
  let jwks = keySets.get(url);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    keySets.set(url, jwks);
  }
  return jwks;
};

export type TokenCheck = { ok: true; claims: JWTPayload & { sub: string } } | { ok: false; reason: string; code?: string; fault?: boolean };

/**
 * Verifies the token. `fault`: the check itself failed (key set unreachable, misconfigured
 * environment), as opposed to a token that is not acceptable. Either way: not ok.
 */
export const checkToken = async (token: string | undefined | null): Promise<TokenCheck> => {
  if (!token) return { ok: false, reason: 'No token' };
  try {
    const s = jwtSettings();
    const { payload } = await jwtVerify(token, keySet(s.jwksUrl), {
      algorithms: [TOKEN_ALGORITHM],
      issuer: s.issuer,
      audience: s.audience,
      requiredClaims: ['exp', 'sub'],
      ...TOKEN_TIME_CHECKS,
    });
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) return { ok: false, reason: 'No subject' };
    return { ok: true, claims: payload as JWTPayload & { sub: string } };
  } catch (e) {
    const fault = !(e instanceof errors.JOSEError) || e instanceof errors.JWKSTimeout || e instanceof errors.JWKSInvalid;
    return { ok: false, reason: (e as Error).message, ...(e instanceof errors.JOSEError ? { code: e.code } : {}), fault };
  }
};
