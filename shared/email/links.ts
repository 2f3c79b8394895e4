/**
 * The links an email carries besides its action: the one-click unsubscribe link (signed, so
 * it needs no sign-in and cannot be forged for another user or kind) and the preferences page.
 *
 * A token is `<userId, base64url>.<kind or ALL>.<HMAC-SHA256 of both, base64url>`, keyed with
 * the email link secret. It does not expire: an unsubscribe link in an old email must still
 * work (RFC 8058 asks for no more than a POST to it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { apiUrl, emailLinkSecretSource, frontendUrl } from '../config';
import { isOptionalKind, type OptionalKind } from '../domain/email';
import { secretProvider, secretReader } from '../integrations/secrets';

/** Every optional kind at once (the link in a footer may switch them all off). */
export const ALL_KINDS = 'ALL';
export type UnsubscribeScope = OptionalKind | typeof ALL_KINDS;

/** The web client's page where a signed-in user changes what they get. */
export const PREFERENCES_PAGE = '/settings/notifications';

export const emailLinkSecret = secretProvider(
  emailLinkSecretSource,
  secretReader('email link', (s) => s),
);

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const sign = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export const unsubscribeToken = (secret: string, userId: string, scope: UnsubscribeScope): string => {
  const payload = `${b64(userId)}.${scope}`;
  return `${payload}.${b64(sign(secret, payload))}`;
};

/** The user and scope a token names, or null when it is malformed or not signed with `secret`. */
export const readUnsubscribeToken = (secret: string, token: string): { userId: string; scope: UnsubscribeScope } | null => {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [user, scope, mac] = parts as [string, string, string];
  if (scope !== ALL_KINDS && !isOptionalKind(scope)) return null;
  const expected = sign(secret, `${user}.${scope}`);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const userId = Buffer.from(user, 'base64url').toString('utf8');
  return userId ? { userId, scope } : null;
};

/** The API's one-click URL (List-Unsubscribe): mail clients POST to it (RFC 8058). */
export const unsubscribeUrl = (token: string): string => `${apiUrl()}/email/unsubscribe?token=${encodeURIComponent(token)}`;

/** The web client's page with the same token, for the link in the body: a browser opens links with GET, and the page POSTs. */
export const UNSUBSCRIBE_PAGE = '/email/unsubscribe';
export const unsubscribePageUrl = (token: string): string => `${frontendUrl()}${UNSUBSCRIBE_PAGE}?token=${encodeURIComponent(token)}`;

export const preferencesUrl = (): string => `${frontendUrl()}${PREFERENCES_PAGE}`;
