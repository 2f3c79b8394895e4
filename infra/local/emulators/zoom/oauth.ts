/** Server-to-Server OAuth: account_credentials tokens, opaque, checked on every API call (401, code 124). */
import type { IncomingMessage } from 'node:http';
import { apiError, oauthError, sameSecret, token } from './http';

const ACCOUNT_SCOPES = 'meeting:read:admin meeting:write:admin recording:read:admin user:read:admin';

export interface OAuthOptions {
  accountId: string;
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  now: () => number;
}

export const createOAuth = (opts: OAuthOptions) => {
  const { ttlSeconds, now } = opts;
  const tokens = new Map<string, number>();
  let tokensIssued = 0;

  const issueToken = (req: IncomingMessage, params: URLSearchParams) => {
    if (params.get('grant_type') !== 'account_credentials') throw oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
    const auth = req.headers.authorization ?? '';
    const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(auth)?.[1];
    const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [clientId, clientSecret] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    if (!sameSecret(clientId, opts.clientId) || !sameSecret(clientSecret, opts.clientSecret)) throw oauthError(401, 'invalid_client', 'Invalid client_id or client_secret');
    if (params.get('account_id') !== opts.accountId) throw oauthError(400, 'invalid_request', 'Invalid account_id');
    const accessToken = `emu.${token(32)}`;
    tokens.set(accessToken, now() + ttlSeconds * 1000);
    tokensIssued += 1;
    return { access_token: accessToken, token_type: 'bearer', expires_in: ttlSeconds, scope: ACCOUNT_SCOPES, api_url: 'https://api.zoom.us' };
  };

  const authorize = (req: IncomingMessage) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = bearer ? tokens.get(bearer) : undefined;
    if (expiresAt === undefined) throw apiError(401, 124, 'Invalid access token.');
    if (now() >= expiresAt) throw apiError(401, 124, 'Access token is expired.');
  };

  return {
    issueToken,
    authorize,
    get tokensIssued() {
      return tokensIssued;
    },
    revokeTokens: () => tokens.clear(),
  };
};
