/** Identity use cases against DynamoDB Local. */
import { getUser, putUser } from '../data/users';
import { ValidationError } from '../domain/errors';
import { useTestTable } from '../../test/support/table';
import { signUp } from './identity';

useTestTable();

const at = (iso: string) => () => new Date(iso);

describe('signUp', () => {
  it('writes the user item of a new student', async () => {
    const user = await signUp({ userId: 'su-new', name: ' Ngozi Eze ', email: 'ngozi@example.com' }, at('2026-03-01T10:00:00.000Z'));
    expect(user).toEqual({ id: 'su-new', displayName: 'Ngozi Eze', email: 'ngozi@example.com', roles: ['student'], createdAt: '2026-03-01T10:00:00.000Z' });
    expect(await getUser('su-new')).toEqual(user);
  });

  it('returns the same user unchanged when retried, later or with other values', async () => {
    const first = await signUp({ userId: 'su-retry', name: 'Kemi', email: 'kemi@example.com' }, at('2026-03-01T10:00:00.000Z'));
    const again = await signUp({ userId: 'su-retry', name: 'Kemi', email: 'kemi@example.com' }, at('2026-03-01T10:05:00.000Z'));
    expect(again).toEqual(first);
    const other = await signUp({ userId: 'su-retry', name: 'Someone else', email: 'else@example.com' }, at('2026-03-02T00:00:00.000Z'));
    expect(other).toEqual(first);
    expect(await getUser('su-retry')).toEqual(first);
  });

  it('leaves an existing user in other roles as they are (a tutor stays a tutor)', async () => {
    const tutor = { id: 'su-tutor', displayName: 'Ada', email: 'ada@example.com', roles: ['student', 'tutor'] as const, createdAt: '2026-01-01T00:00:00.000Z' };
    await putUser({ ...tutor, roles: [...tutor.roles] });
    const user = await signUp({ userId: 'su-tutor', name: 'Ada', email: 'ada@example.com' });
    expect(user.roles).toEqual(['student', 'tutor']);
    expect(user.createdAt).toBe(tutor.createdAt);
  });

  it('writes one item when called twice at once, and both calls return it', async () => {
    const [a, b] = await Promise.all([
      signUp({ userId: 'su-race', name: 'First', email: 'race@example.com' }, at('2026-03-01T10:00:00.000Z')),
      signUp({ userId: 'su-race', name: 'Second', email: 'race@example.com' }, at('2026-03-01T10:00:01.000Z')),
    ]);
    expect(a).toEqual(b);
    expect(await getUser('su-race')).toEqual(a);
  });

  it('uses the email as the display name when the name is empty', async () => {
    const user = await signUp({ userId: 'su-noname', name: '  ', email: 'noname@example.com' });
    expect(user.displayName).toBe('noname@example.com');
  });

  it('refuses an id that is not a user id', async () => {
    await expect(signUp({ userId: 'USER#x', name: 'X', email: 'x@example.com' })).rejects.toBeInstanceOf(ValidationError);
  });
});
