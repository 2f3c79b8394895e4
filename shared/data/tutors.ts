/** Tutor profiles: one item per tutor, listed for browsing through gsi3. */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import type { TutorProfile, TutorProfileInput } from '../schemas/tutor';
import { ddb } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { TUTORS_PARTITION, tutorBrowseIndex, tutorProfileKey } from './keys';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi3pk', 'gsi3sk'];

export const toProfile = (item: Record<string, unknown>): TutorProfile => {
  const { pk: _pk, sk: _sk, gsi3pk: _g, gsi3sk: _s, type: _t, ...profile } = item;
  return profile as unknown as TutorProfile;
};

export const putTutorProfile = async (profile: TutorProfile): Promise<void> => {
  await ddb.send(
    new PutCommand({
      TableName: config().tableName,
      Item: { ...tutorProfileKey(profile.id), ...tutorBrowseIndex(profile.id), type: 'TutorProfile', ...profile },
    }),
  );
};

export const getTutorProfile = async (tutorId: string): Promise<TutorProfile | undefined> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: tutorProfileKey(tutorId) }));
  return Item ? toProfile(Item) : undefined;
};

export const listTutorProfiles = async (cursor: string | undefined, limit: number): Promise<Page<TutorProfile>> => {
  const start = decodeCursor(cursor, { attributes: KEY_ATTRIBUTES, partition: ['gsi3pk', TUTORS_PARTITION] });
  const out = await ddb.send(
    new QueryCommand({
      TableName: config().tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': TUTORS_PARTITION },
      ExclusiveStartKey: start,
      Limit: limit,
    }),
  );
  return { items: (out.Items ?? []).map(toProfile), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};

/**
 * A tutor's own create-or-update in one write: the fields they send are replaced, while
 * what they do not own (ratings, createdAt) is kept, with no read-then-write race. The
 * Update on its own, for a transaction (an approved application publishes the profile).
 */
export const tutorProfileUpsert = (tutorId: string, input: TutorProfileInput, now: string) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets = Object.entries({ ...input, ...tutorBrowseIndex(tutorId), id: tutorId, type: 'TutorProfile', updatedAt: now }).map(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:f${i}`] = v;
    return `#f${i} = :f${i}`;
  });
  const keep = { createdAt: now, ratingAverage: null, ratingCount: 0 };
  Object.entries(keep).forEach(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:k${i}`] = v;
    sets.push(`#k${i} = if_not_exists(#k${i}, :k${i})`);
  });
  return {
    TableName: config().tableName,
    Key: tutorProfileKey(tutorId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

export const upsertTutorProfile = async (tutorId: string, input: TutorProfileInput, now: string): Promise<TutorProfile> => {
  const { Attributes } = await ddb.send(new UpdateCommand({ ...tutorProfileUpsert(tutorId, input, now), ReturnValues: 'ALL_NEW' }));
  return toProfile(Attributes!);
};
