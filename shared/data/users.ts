/** Users: who they are and which roles they hold (the roles themselves live in Cognito groups). */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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

export const putUser = async (user: User): Promise<void> => {
  await ddb.send(new PutCommand({ TableName: config().tableName, Item: { ...userKey(user.id), type: 'User', ...user } }));
};

export const getUser = async (id: string): Promise<User | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: userKey(id) }));
  if (!Item) return undefined;
  const { id: userId, displayName, email, roles, createdAt } = Item as User;
  return { id: userId, displayName, email, roles, createdAt };
};
