/**
 * The table's operations with its name filled in: the transaction items every state change is
 * made of (`put`, `update`, `remove`, each with the condition its caller writes out) and the
 * single reads and writes. The name of the table is read here and nowhere else.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  paginateQuery,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type GetCommandInput,
  type PutCommandInput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { ddb } from './client';
import type { ItemKey } from './entity';
import type { TransactItem } from './transact';

export const tableName = (): string => config().tableName;

type Put = NonNullable<TransactItem['Put']>;
type Update = NonNullable<TransactItem['Update']>;
type Delete = NonNullable<TransactItem['Delete']>;

/** Transaction items (and, through the single-item writes below, their one-off forms). */
export const put = <P extends Omit<Put, 'TableName'>>(p: P) => ({ Put: { TableName: tableName(), ...p } }) satisfies TransactItem;
export const update = <U extends Omit<Update, 'TableName'>>(u: U) => ({ Update: { TableName: tableName(), ...u } }) satisfies TransactItem;
/** An item written only for the table stream to act on (a workflow callback, a meeting sync) is kept past the stream's 24 h, for a look, then deleted by TTL. */
export const streamSignalExpiresAt = (at: string): number => Math.floor(Date.parse(at) / 1000) + 3 * 24 * 3600;

/** The Put of such an item, keyed by the session version its change writes: new or the transaction fails (one that lost a race writes none). */
export const streamSignalPut = (key: ItemKey, item: Record<string, unknown>) => put({ Item: { ...key, ...item }, ConditionExpression: 'attribute_not_exists(pk)' });

type ConditionCheck = NonNullable<TransactItem['ConditionCheck']>;
export const check = <C extends Omit<ConditionCheck, 'TableName'>>(c: C) => ({ ConditionCheck: { TableName: tableName(), ...c } }) satisfies TransactItem;

export const remove = <D extends Omit<Delete, 'TableName'>>(d: D) => ({ Delete: { TableName: tableName(), ...d } }) satisfies TransactItem;

export const getItem = async (key: ItemKey, opts: Omit<GetCommandInput, 'TableName' | 'Key'> = {}): Promise<Record<string, unknown> | undefined> =>
  (await ddb.send(new GetCommand({ TableName: tableName(), Key: key, ...opts }))).Item;

export const putItem = (p: Omit<PutCommandInput, 'TableName'>) => ddb.send(new PutCommand({ TableName: tableName(), ...p }));
export const updateItem = (u: Omit<UpdateCommandInput, 'TableName'>) => ddb.send(new UpdateCommand({ TableName: tableName(), ...u }));
export const deleteItem = (d: Omit<DeleteCommandInput, 'TableName'>) => ddb.send(new DeleteCommand({ TableName: tableName(), ...d }));

export const query = (q: Omit<QueryCommandInput, 'TableName'>): Promise<QueryCommandOutput> => ddb.send(new QueryCommand({ TableName: tableName(), ...q }));

/** Every item of a Query, however many pages DynamoDB splits it into. */
export const queryAll = async (q: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: ddb }, { TableName: tableName(), ...q })) items.push(...(page.Items ?? []));
  return items;
};

/** A single conditional write: true if it was made, false if its condition failed. */
export const conditional = async (write: () => Promise<unknown>): Promise<boolean> => {
  try {
    await write();
    return true;
  } catch (e) {
    if (e instanceof ConditionalCheckFailedException) return false;
    throw e;
  }
};

/**
 * The Update that moves an item from one of the statuses `from` to `to`, setting `fields` too
 * (index keys among them, when the status files the item): conditional on the status it leaves.
 */
export const statusMove = <S extends string>(key: ItemKey, from: readonly S[], to: S, fields: Record<string, unknown>) => {
  const sets = Object.entries({ ...fields, status: to });
  const fromValues = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
  return update({
    Key: key,
    UpdateExpression: `SET ${sets.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
    ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
    ExpressionAttributeNames: { ...Object.fromEntries(sets.map(([k], i) => [`#f${i}`, k])), '#status': 'status' },
    ExpressionAttributeValues: { ...Object.fromEntries(sets.map(([, v], i) => [`:f${i}`, v])), ...fromValues },
  });
};
