/**
 * Open WebSocket connections. Each is two items written and deleted together: one in the
 * user's partition (the notifier Queries a user's connections), one under the connection id
 * ($disconnect knows only the id). Both carry the TTL `expiresAt`: API Gateway ends every
 * connection after 2 hours, so a connection whose $disconnect never ran still goes away.
 */
import { GetCommand, paginateQuery, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { ddb } from './client';
import { CONNECTION_PREFIX, connectionKey, userConnectionKey } from './keys';

export interface Connection {
  connectionId: string;
  userId: string;
  /** ISO instant. */
  connectedAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  expiresAt: number;
}

export const putConnection = async (c: Connection): Promise<void> => {
  const table = config().tableName;
  await ddb.send(
    new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: table, Item: { ...userConnectionKey(c.userId, c.connectionId), type: 'Connection', ...c } } },
        { Put: { TableName: table, Item: { ...connectionKey(c.connectionId), type: 'ConnectionLookup', ...c } } },
      ],
    }),
  );
};

const toConnection = (item: Record<string, unknown>): Connection => ({
  connectionId: item.connectionId as string,
  userId: item.userId as string,
  connectedAt: item.connectedAt as string,
  expiresAt: item.expiresAt as number,
});

/** TTL deletes expired items late (up to days): an expired item is no connection. */
const live = (c: Connection, now: Date): boolean => c.expiresAt > Math.floor(now.getTime() / 1000);

export const getConnection = async (connectionId: string, now = new Date()): Promise<Connection | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: connectionKey(connectionId), ConsistentRead: true }));
  if (!Item) return undefined;
  const c = toConnection(Item);
  return live(c, now) ? c : undefined;
};

/** A user's open connections, one Query (strongly consistent: a connection made a moment ago is seen). */
export const listUserConnections = async (userId: string, now = new Date()): Promise<Connection[]> => {
  const out: Connection[] = [];
  const pages = paginateQuery(
    { client: ddb },
    {
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': userConnectionKey(userId, '').pk, ':prefix': CONNECTION_PREFIX },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) out.push(...(page.Items ?? []).map(toConnection));
  return out.filter((c) => live(c, now));
};

/** Deletes both items of a connection; deleting one that is gone already is harmless. */
export const deleteConnection = async (userId: string, connectionId: string): Promise<void> => {
  const table = config().tableName;
  await ddb.send(
    new TransactWriteCommand({
      TransactItems: [{ Delete: { TableName: table, Key: userConnectionKey(userId, connectionId) } }, { Delete: { TableName: table, Key: connectionKey(connectionId) } }],
    }),
  );
};

/** $disconnect: by the id alone. Returns the connection it removed, if there was one. */
export const deleteConnectionById = async (connectionId: string): Promise<Connection | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: connectionKey(connectionId), ConsistentRead: true }));
  if (!Item) return undefined;
  const c = toConnection(Item);
  await deleteConnection(c.userId, connectionId);
  return c;
};
