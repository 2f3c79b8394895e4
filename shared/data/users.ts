/**
 * Users: who they are and which roles they hold (the roles themselves live in Cognito groups).
 * GET /me's read of the user with their other items is ./user-overview.ts, so that reading a
 * user does not bundle the tutor, application and inbox entities.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ROLES, type Role } from '../domain/caller';
import * as z from '../schemas/zod';
import { entity, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { inboxCounterKey, tutorApplicationKey, tutorProfileKey, userKey } from './keys';
import { getItem, putItem, update } from './ops';
import type { TransactItem } from './transact';

export interface User {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  createdAt: string;
}

const storedUser = z.object({ id: z.string(), displayName: z.string(), email: z.string(), roles: z.array(z.enum(ROLES)), createdAt: z.string() });
sameShape<z.output<typeof storedUser>, User>(true);

export const UserEntity = entity({
  type: 'User',
  about: 'User',
  key: userKey,
  schema: storedUser,
  keys: (u) => userKey(u.id),
  sample: () => userKey('<id>'),
  accessPatterns: () => [
    { pattern: 'user', key: keyText(userKey('<id>')), operation: 'GetItem' },
    {
      pattern: 'GET /me: the user, their tutor profile, their application to tutor, the unread counter',
      key: `${partitionText(userKey('<id>').pk)} sk ${[userKey, tutorApplicationKey, inboxCounterKey].map((k) => code(k('<id>').sk)).join(', ')}; ${keyText(tutorProfileKey('<id>'))} (consistent)`,
      operation: 'BatchGetItem',
    },
    {
      pattern: "sign-up: a new student's user item, once",
      key: `Put ${keyText(userKey('<id>'))} with \`attribute_not_exists(pk)\`; a retry gets the stored item back with the failed condition (\`ReturnValuesOnConditionCheckFailure\`)`,
      operation: 'PutItem',
    },
  ],
});

const toUser = UserEntity.parse;

export const putUser = async (user: User): Promise<void> => {
  await putItem({ Item: UserEntity.item(user) });
};

export const getUser = async (id: string): Promise<User | undefined> => {
  const item = await getItem(UserEntity.key(id));
  return item ? toUser(item) : undefined;
};

/**
 * Writes the user item only if there is none yet, and returns the user as stored: the new
 * one, or the one a previous call (or the seed) wrote, unchanged. One conditional write; the
 * existing item comes back with the failed condition, so a retry costs no extra read.
 */
export const createUserOnce = async (user: User): Promise<{ user: User; created: boolean }> => {
  try {
    await putItem({ Item: UserEntity.item(user), ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
    return { user, created: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // The document client does not translate an error's item: it arrives in the wire format.
    const existing = e.Item ? toUser(unmarshall(e.Item)) : await getUser(user.id);
    if (!existing) throw e;
    return { user: existing, created: false };
  }
};

/**
 * Adds `role` to the user's roles, in a transaction: the condition holds only while the user
 * exists and lacks the role, so a role is never listed twice.
 */
export const addUserRoleWrite = (userId: string, role: Role): TransactItem =>
  update({
    Key: UserEntity.key(userId),
    UpdateExpression: 'SET #roles = list_append(#roles, :add)',
    ConditionExpression: 'attribute_exists(pk) AND NOT contains(#roles, :role)',
    ExpressionAttributeNames: { '#roles': 'roles' },
    ExpressionAttributeValues: { ':add': [role], ':role': role },
  });
