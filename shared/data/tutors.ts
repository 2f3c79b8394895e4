/** Tutor profiles: one item per tutor, listed for browsing through gsi3. */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import type { TutorProfile } from '../schemas/tutor';
import { ddb } from './client';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { TUTORS_PARTITION, tutorBrowseIndex, tutorProfileKey } from './keys';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi3pk', 'gsi3sk'];

const toProfile = (item: Record<string, unknown>): TutorProfile => {
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
