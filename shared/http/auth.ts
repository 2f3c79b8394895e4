/**
 * Who is calling, from the JWT claims as API Gateway's JWT authorizer hands them over.
 * API Gateway has already checked signature, issuer, audience and expiry; the handler only
 * reads the claims. HTTP APIs flatten array claims into a string like "[student tutor]".
 *
 * The one token the API takes is the ID token (`token_use: "id"`): it names the user (`name`,
 * `email`) and carries the roles (`cognito:groups`). A Cognito access token for the same
 * client passes API Gateway's audience check too (its `client_id` counts as the audience), so
 * it is refused here, as the WebSocket authorizer refuses it: both accept exactly the same tokens.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ROLES, type Caller, type Role } from '../domain/caller';
import { UnauthorizedError } from '../domain/errors';

const parseGroups = (raw: unknown): string[] => {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

export const callerFromEvent = (event: Partial<APIGatewayProxyEventV2WithJWTAuthorizer>): Caller => {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw new UnauthorizedError();
  if (claims?.token_use !== 'id') throw new UnauthorizedError('Send the ID token as the bearer token (this one is not an ID token)');
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const name = typeof claims?.name === 'string' ? claims.name : undefined;
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  return { userId: sub, roles, ...(name ? { name } : {}), ...(email ? { email } : {}) };
};
