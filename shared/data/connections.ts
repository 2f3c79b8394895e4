/**
 * Open WebSocket connections. Each is two items written and deleted together: one in the
 * user's partition (the notifier Queries a user's connections), one under the connection id
 * ($disconnect knows only the id). Both carry the TTL `expiresAt`: API Gateway ends every
 * connection after 2 hours, so a connection whose $disconnect never ran still goes away.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import * as z from '../schemas/zod';
import { ddb } from './client';
import { entity, sameShape } from './entity';
import { code, keyText, partitionText } from './access-text';
import { CONNECTION_PREFIX, connectionKey, userConnectionKey } from './keys';
import { getItem, put, queryAll, remove } from './ops';

export interface Connection {
  connectionId: string;
  userId: string;
  /** ISO instant. */
  connectedAt: string;
  /** Epoch seconds (the table's TTL attribute). */
  expiresAt: number;
}

const storedConnection = z.object({ connectionId: z.string(), userId: z.string(), connectedAt: z.string(), expiresAt: z.number() });
sameShape<z.output<typeof storedConnection>, Connection>(true);

export const ConnectionEntity = entity({
  type: 'Connection',
  about: 'Connection (an open WebSocket connection, TTL `expiresAt` = connect + 2 h)',
  key: userConnectionKey,
  schema: storedConnection,
  keys: (c) => userConnectionKey(c.userId, c.connectionId),
  sample: () => userConnectionKey('<id>', '<connectionId>'),
  accessPatterns: () => [
    {
      pattern: "a user's open WebSocket connections (the notifier's fan-out)",
      key: `${partitionText(userConnectionKey('<id>', '').pk)}, sk prefix ${code(CONNECTION_PREFIX)}, consistent read; items past \`expiresAt\` ignored until TTL removes them`,
      operation: 'Query',
    },
    { pattern: 'connect / disconnect / gone (410)', key: 'Put or Delete both connection items together', operation: 'TransactWriteItems' },
  ],
});

export const ConnectionLookup = entity({
  type: 'ConnectionLookup',
  about: 'ConnectionLookup (the same connection by its id: whose it is)',
  key: connectionKey,
  schema: storedConnection,
  keys: (c) => connectionKey(c.connectionId),
  sample: () => connectionKey('<connectionId>'),
  accessPatterns: () => [
    { pattern: 'a connection by id ($disconnect)', key: `${keyText(connectionKey('<connectionId>'))}, then both items deleted`, operation: 'GetItem + TransactWriteItems' },
  ],
});

export const putConnection = async (c: Connection): Promise<void> => {
  await ddb.send(new TransactWriteCommand({ TransactItems: [put({ Item: ConnectionEntity.item(c) }), put({ Item: ConnectionLookup.item(c) })] }));
};

/** TTL deletes expired items late (up to days): an expired item is no connection. */
const live = (c: Connection, now: Date): boolean => c.expiresAt > Math.floor(now.getTime() / 1000);

export const getConnection = async (connectionId: string, now = new Date()): Promise<Connection | undefined> => {
  const item = await getItem(ConnectionLookup.key(connectionId), { ConsistentRead: true });
  if (!item) return undefined;
  const c = ConnectionLookup.parse(item);
  return live(c, now) ? c : undefined;
};

/** A user's open connections, one Query (strongly consistent: a connection made a moment ago is seen). */
export const listUserConnections = async (userId: string, now = new Date()): Promise<Connection[]> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': userConnectionKey(userId, '').pk, ':prefix': CONNECTION_PREFIX },
    ConsistentRead: true,
  });
  return items.map(ConnectionEntity.parse).filter((c) => live(c, now));
};

/** Deletes both items of a connection; deleting one that is gone already is harmless. */
export const deleteConnection = async (userId: string, connectionId: string): Promise<void> => {
  await ddb.send(new TransactWriteCommand({ TransactItems: [remove({ Key: ConnectionEntity.key(userId, connectionId) }), remove({ Key: ConnectionLookup.key(connectionId) })] }));
};

/** $disconnect: by the id alone. Returns the connection it removed, if there was one. */
export const deleteConnectionById = async (connectionId: string): Promise<Connection | undefined> => {
  const item = await getItem(ConnectionLookup.key(connectionId), { ConsistentRead: true });
  if (!item) return undefined;
  const c = ConnectionLookup.parse(item);
  await deleteConnection(c.userId, connectionId);
  return c;
};
