/** Who is calling and in which roles: what the use cases decide on, whichever door the call came in by. */
import { ForbiddenError } from './errors';

export const ROLES = ['student', 'tutor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  userId: string;
  roles: Role[];
  name?: string;
  email?: string;
}

export const hasRole = (caller: Caller, role: Role): boolean => caller.roles.includes(role);

export const requireRole = (caller: Caller, ...anyOf: Role[]): void => {
  if (!anyOf.some((r) => hasRole(caller, r))) throw new ForbiddenError(`This needs the ${anyOf.join(' or ')} role`);
};
