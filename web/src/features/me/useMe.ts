/** Who is signed in: GET /me (roles, tutor profile, the application to tutor, unread count). */
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

/**
 * The caller's roles, as GET /me answers them: the ID token's groups (what the API decides with),
 * so a new role shows once the sign-in is renewed. The token's own claim stands in until /me answers.
 */
export const useRoles = (): { roles: Set<Role>; has: (r: Role) => boolean } => {
  const { identity } = useAuth();
  const me = useMe();
  const roles = new Set<Role>(me.data?.roles ?? identity?.roles ?? []);
  return { roles, has: (r) => roles.has(r) };
};
