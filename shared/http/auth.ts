/**
 * Who is calling, from the JWT claims as API Gateway's JWT authorizer hands them over.
 * API Gateway has already checked signature, issuer, audience and expiry; the handler only
 * reads the claims. HTTP APIs flatten array claims into a string like "[student tutor]".
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';

export const ROLES = ['student', 'tutor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  userId: string;
  roles: Role[];
  name?: string;
  email?: string;
}

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
  const roles = parseGroups(claims?.['cognito:groups']).filter((g): g is Role => (ROLES as readonly string[]).includes(g));
  const name = typeof claims?.name === 'string' ? claims.name : undefined;
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  return { userId: sub, roles, ...(name ? { name } : {}), ...(email ? { email } : {}) };
};

export const hasRole = (caller: Caller, role: Role): boolean => caller.roles.includes(role);

export const requireRole = (caller: Caller, ...anyOf: Role[]): void => {
  if (!anyOf.some((r) => hasRole(caller, r))) throw new ForbiddenError(`This needs the ${anyOf.join(' or ')} role`);
};
