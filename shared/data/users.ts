/** Users: who they are and which roles they hold (the roles themselves live in Cognito groups). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ROLES, type Role } from '../domain/caller';
import * as z from '../schemas/zod';
import { ddb } from './client';
import { entity, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { userKey } from './keys';
import { InboxCounter } from './notifications';
import { getItem, putItem, tableName, update } from './ops';
import type { TransactItem } from './transact';
import { TutorApplicationEntity } from './tutor-applications';
import { TutorProfileEntity } from './tutors';
import type { TutorApplication } from '../schemas/tutor';
import type { TutorProfile } from '../schemas/tutor';

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
      key: `${partitionText(userKey('<id>').pk)} sk ${[userKey, TutorApplicationEntity.key, InboxCounter.key].map((k) => code(k('<id>').sk)).join(', ')}; ${keyText(TutorProfileEntity.key('<id>'))} (consistent)`,
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

export interface UserOverview {
  user: User | undefined;
  tutorProfile: TutorProfile | undefined;
  tutorApplication: TutorApplication | undefined;
  unreadNotifications: number;
}

/**
 * Everything GET /me shows, in one BatchGetItem (consistent: a user who was just approved
 * sees it): the user item, their tutor profile, their application to tutor and the inbox's
 * unread counter.
 */
export const userOverview = async (userId: string): Promise<UserOverview> => {
  const table = tableName();
  const found: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] | undefined = [UserEntity.key(userId), TutorProfileEntity.key(userId), TutorApplicationEntity.key(userId), InboxCounter.key(userId)];
  // BatchGetItem may leave keys for a second round under load; the SDK retries only the call.
  for (let round = 0; keys?.length; round += 1) {
    if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** round));
    const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[table] ?? []));
    keys = out.UnprocessedKeys?.[table]?.Keys;
    if (round >= 5 && keys?.length) throw new Error('BatchGetItem left keys unprocessed after 6 rounds');
  }
  const item = (key: { pk: string; sk: string }) => found.find((i) => i.pk === key.pk && i.sk === key.sk);
  const user = item(UserEntity.key(userId));
  const profile = item(TutorProfileEntity.key(userId));
  const application = item(TutorApplicationEntity.key(userId));
  const counter = item(InboxCounter.key(userId));
  return {
    user: user ? toUser(user) : undefined,
    tutorProfile: profile ? TutorProfileEntity.parse(profile) : undefined,
    tutorApplication: application ? TutorApplicationEntity.parse(application) : undefined,
    unreadNotifications: Math.max(0, (counter && InboxCounter.parse(counter).unread) ?? 0),
  };
};
