/** The account's users: the host (`me`) and the others, found by id or email, described as GET /users/{userId} does. */
import { createHmac } from 'node:crypto';
import { apiError, utc } from './http';
import type { EmulatedUser, EmulatedUserInit } from './model';

/** Zoom user ids look like `KDcuGIm1QgePTO8WbOqwIQ`: 22 url-safe characters. This one is stable per email. */
const userIdFor = (email: string) => createHmac('sha256', 'zoom-emulator-user').update(email.toLowerCase()).digest('base64url').slice(0, 22);

export interface UsersOptions {
  hostId: string;
  hostEmail: string;
  accountId: string;
  users?: readonly EmulatedUserInit[];
  now: () => number;
}

export const createUsers = (opts: UsersOptions) => {
  const { hostId, hostEmail, now } = opts;
  const users = new Map<string, EmulatedUser>();
  const addUser = (init: EmulatedUserInit): EmulatedUser => {
    for (const [id, u] of users) if (u.email.toLowerCase() === init.email.toLowerCase() && id !== hostId) users.delete(id);
    const [first = init.email, last = ''] = init.email.split('@')[0]!.split(/[._-]/, 2);
    const user: EmulatedUser = {
      id: init.id ?? userIdFor(init.email),
      email: init.email,
      status: init.status ?? 'active',
      firstName: first,
      lastName: last,
      createdAt: utc(now()),
    };
    users.set(user.id, user);
    return user;
  };
  users.set(hostId, { id: hostId, email: hostEmail, status: 'active', firstName: 'Emulated', lastName: 'Host', createdAt: utc(now()) });
  for (const u of opts.users ?? []) addUser(u);

  const findUser = (userId: string): EmulatedUser => {
    const u = userId === 'me' ? users.get(hostId) : (users.get(userId) ?? [...users.values()].find((x) => x.email.toLowerCase() === userId.toLowerCase()));
    if (!u) throw apiError(404, 1001, `User does not exist: ${userId}.`);
    return u;
  };

  const userData = (u: EmulatedUser) => ({
    id: u.id,
    first_name: u.firstName,
    last_name: u.lastName,
    display_name: `${u.firstName} ${u.lastName}`.trim(),
    email: u.email,
    type: 2,
    role_name: 'Member',
    pmi: 0,
    use_pmi: false,
    timezone: 'UTC',
    verified: 1,
    dept: '',
    created_at: u.createdAt,
    last_login_time: u.createdAt,
    language: 'en-US',
    status: u.status,
    role_id: '2',
    account_id: opts.accountId,
    account_number: 1,
    cluster: 'us06',
    user_created_at: u.createdAt,
  });

  return { users, addUser, findUser, userData };
};
