/**
 * Applications to tutor: one item per user next to their user item, filed on gsi3 by status
 * (oldest first) for the admins' list. Every change is conditional on the status it leaves.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { config } from '../config';
import type { TutorApplicationStatus } from '../domain/tutor-application';
import type { TutorApplication } from '../schemas/tutor';
import { ddb } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { tutorApplicationKey, tutorApplicationStatusIndex, tutorApplicationStatusPartition } from './keys';
import type { TransactItem } from './transact';

/** The application an item holds. */
export const tutorApplicationFromItem = (item: Record<string, unknown>): TutorApplication => {
  const { pk: _pk, sk: _sk, gsi3pk: _g, gsi3sk: _s, type: _t, ...app } = item;
  return app as unknown as TutorApplication;
};

const toItem = (app: TutorApplication) => ({
  ...tutorApplicationKey(app.userId),
  ...tutorApplicationStatusIndex(app.status, app.submittedAt, app.userId),
  type: 'TutorApplication',
  ...app,
});

export const getTutorApplication = async (userId: string, consistent = false): Promise<TutorApplication | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: tutorApplicationKey(userId), ConsistentRead: consistent }));
  return Item ? tutorApplicationFromItem(Item) : undefined;
};

/**
 * Stores a new application where the user has none, or only a declined one (applying again
 * replaces it). Otherwise nothing is written and the application that stands is returned.
 */
export const submitTutorApplication = async (app: TutorApplication): Promise<{ stored: true } | { stored: false; existing: TutorApplication }> => {
  try {
    await ddb.send(
      new PutCommand({
        TableName: config().tableName,
        Item: toItem(app),
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :declined',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':declined': 'DECLINED' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { stored: true };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    // The document client leaves an error's item in the wire format.
    const existing = e.Item ? tutorApplicationFromItem(unmarshall(e.Item)) : await getTutorApplication(app.userId, true);
    if (!existing) throw e;
    return { stored: false, existing };
  }
};

/** The Update that moves an application from one of `from` to `to` (and refiles it on gsi3), setting `fields`. */
export const tutorApplicationStatusUpdate = (
  app: Pick<TutorApplication, 'userId' | 'submittedAt'>,
  from: readonly TutorApplicationStatus[],
  to: TutorApplicationStatus,
  fields: Partial<Pick<TutorApplication, 'decidedBy' | 'decidedAt' | 'reason' | 'updatedAt'>>,
) => {
  const names: Record<string, string> = { '#status': 'status', '#submittedAt': 'submittedAt', '#gpk': 'gsi3pk', '#gsk': 'gsi3sk' };
  const values: Record<string, unknown> = { ':to': to, ':submittedAt': app.submittedAt, ...tutorApplicationStatusIndexValues(to, app) };
  const sets = ['#status = :to', '#gpk = :gpk', '#gsk = :gsk'];
  Object.entries(fields).forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    sets.push(`#f${i} = :f${i}`);
  });
  const froms = from.map((s, i) => {
    values[`:from${i}`] = s;
    return `:from${i}`;
  });
  return {
    TableName: config().tableName,
    Key: tutorApplicationKey(app.userId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    // The same application: a new one after a decline has another submittedAt (and gsi3 key).
    ConditionExpression: `#status IN (${froms.join(', ')}) AND #submittedAt = :submittedAt`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

const tutorApplicationStatusIndexValues = (status: TutorApplicationStatus, app: Pick<TutorApplication, 'userId' | 'submittedAt'>) => {
  const { gsi3pk, gsi3sk } = tutorApplicationStatusIndex(status, app.submittedAt, app.userId);
  return { ':gpk': gsi3pk, ':gsk': gsi3sk };
};

export const tutorApplicationStatusWrite = (...args: Parameters<typeof tutorApplicationStatusUpdate>): TransactItem => ({ Update: tutorApplicationStatusUpdate(...args) });

/**
 * Moves the application on its own (no other write with it). Returns the application after
 * the change, or, when it was not in one of `from`, the application as it stands (undefined: none).
 */
export const setTutorApplicationStatus = async (
  ...args: Parameters<typeof tutorApplicationStatusUpdate>
): Promise<{ changed: true; application: TutorApplication } | { changed: false; application: TutorApplication | undefined }> => {
  try {
    const { Attributes } = await ddb.send(new UpdateCommand({ ...tutorApplicationStatusUpdate(...args), ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    return { changed: true, application: tutorApplicationFromItem(Attributes!) };
  } catch (e) {
    if (!(e instanceof ConditionalCheckFailedException)) throw e;
    return { changed: false, application: e.Item ? tutorApplicationFromItem(unmarshall(e.Item)) : undefined };
  }
};

/** Applications in one status, oldest first: one Query on gsi3. */
export const listTutorApplicationsByStatus = async (status: TutorApplicationStatus, cursor: string | undefined, limit: number): Promise<Page<TutorApplication>> => {
  const partition = tutorApplicationStatusPartition(status);
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', 'gsi3pk', 'gsi3sk'], partition: ['gsi3pk', partition] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { items: (out.Items ?? []).map(tutorApplicationFromItem), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};
