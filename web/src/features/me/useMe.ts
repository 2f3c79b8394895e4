/** Who is signed in: GET /me (roles, tutor profile, unread count), with the ID token's claims until it answers. */
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../app/keys';
import { useApi } from '../../app/context';
import { useAuth } from '../../lib/auth';
import type { Role } from '../../lib/types';

export const useMe = () => {
  const api = useApi();
  const { identity } = useAuth();
  return useQuery({ queryKey: keys.me, queryFn: () => api.me(), enabled: identity !== null });
};

/** The caller's roles: the token's (what the API decides with) and GET /me's, together. */
export const useRoles = (): { roles: Set<Role>; has: (r: Role) => boolean } => {
  const { identity } = useAuth();
  const me = useMe();
  const roles = new Set<Role>([...(identity?.roles ?? []), ...(me.data?.roles ?? [])]);
  return { roles, has: (r) => roles.has(r) };
};
