/** Users: who they are and which roles they hold (the roles themselves live in Cognito groups). */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Role } from '../http/auth';
import { config } from '../config';
import { ddb } from './client';
import { userKey } from './keys';

export interface User {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  createdAt: string;
}

const toUser = (item: Record<string, unknown>): User => {
  const { id, displayName, email, roles, createdAt } = item as unknown as User;
  return { id, displayName, email, roles, createdAt };
};

export const putUser = async (user: User): Promise<void> => {
  await ddb.send(new PutCommand({ TableName: config().tableName, Item: { ...userKey(user.id), type: 'User', ...user } }));
};

export const getUser = async (id: string): Promise<User | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: userKey(id) }));
  return Item ? toUser(Item) : undefined;
};

/**
 * Writes the user item only if there is none yet, and returns the user as stored: the new
 * one, or the one a previous call (or the seed) wrote, unchanged. One conditional write; the
 * existing item comes back with the failed condition, so a retry costs no extra read.
 */
export const createUserOnce = async (user: User): Promise<{ user: User; created: boolean }> => {
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: { ...userKey(user.id), type: 'User', ...user },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { user, created: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // The document client does not translate an error's item: it arrives in the wire format.
    const existing = e.Item ? toUser(unmarshall(e.Item)) : await getUser(user.id);
    if (!existing) throw e;
    return { user: existing, created: false };
  }
};
