/**
 * Applications to tutor: one item per user next to their user item, filed on gsi3 by status
 * (oldest first) for the admins' list. Every change is conditional on the status it leaves.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TUTOR_APPLICATION_STATUSES, type TutorApplicationStatus } from '../domain/tutor-application';
import type { TutorApplication } from '../schemas/tutor';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { entity, nullableString, sameShape } from './entity';
import { indexText, keyText } from './access-text';
import { tutorApplicationKey, tutorApplicationStatusIndex, tutorApplicationStatusPartition } from './keys';
import { getItem, putItem, query, update, updateItem } from './ops';
import { storedProfileInput } from './tutors';
import type { TransactItem } from './transact';

const storedApplication = z.object({
  userId: z.string(),
  status: z.enum(TUTOR_APPLICATION_STATUSES),
  applicant: z.object({ displayName: z.string(), email: z.string() }),
  profile: storedProfileInput,
  submittedAt: z.string(),
  updatedAt: z.string(),
  decidedBy: nullableString,
  decidedAt: nullableString,
  reason: nullableString,
});
sameShape<z.output<typeof storedApplication>, TutorApplication>(true);

export const TutorApplicationEntity = entity({
  type: 'TutorApplication',
  about: 'TutorApplication (an application to tutor: `status` PENDING → APPROVING → APPROVED, or PENDING → DECLINED; the profile applied with)',
  key: tutorApplicationKey,
  schema: storedApplication,
  keys: (a) => ({ ...tutorApplicationKey(a.userId), ...tutorApplicationStatusIndex(a.status, a.submittedAt, a.userId) }),
  sample: () => ({ ...tutorApplicationKey('<id>'), ...tutorApplicationStatusIndex('<status>', '<submittedAt>', '<userId>') }),
  accessPatterns: () => [
    { pattern: 'apply to tutor', key: `Put ${keyText(tutorApplicationKey('<id>'))} with \`attribute_not_exists(pk) OR status = DECLINED\``, operation: 'PutItem' },
    { pattern: 'applications to tutor by status (admin)', key: indexText('gsi3', tutorApplicationStatusPartition('<status>')), operation: 'Query ↑ (oldest first)' },
    {
      pattern: 'approve an application',
      key: "claim: Update `status` PENDING → APPROVING (`status` and `submittedAt` condition); then the application's APPROVING → APPROVED, the user item's `roles` + `tutor` (`NOT contains(roles, tutor)`), the profile's upsert (as PUT /tutors/me) and the applicant's notification (`NOTIFIED#…` `attribute_not_exists`)",
      operation: 'UpdateItem, then TransactWriteItems',
    },
    { pattern: 'decline an application', key: "the application's PENDING → DECLINED with the applicant's notification", operation: 'TransactWriteItems' },
  ],
});

/** The application an item holds. */
export const tutorApplicationFromItem = TutorApplicationEntity.parse;

export const getTutorApplication = async (userId: string, consistent = false): Promise<TutorApplication | undefined> => {
  const item = await getItem(TutorApplicationEntity.key(userId), { ConsistentRead: consistent });
  return item ? tutorApplicationFromItem(item) : undefined;
};

/**
 * Stores a new application where the user has none, or only a declined one (applying again
 * replaces it). Otherwise nothing is written and the application that stands is returned.
 */
export const submitTutorApplication = async (app: TutorApplication): Promise<{ stored: true } | { stored: false; existing: TutorApplication }> => {
  try {
    await putItem({
      Item: TutorApplicationEntity.item(app),
      ConditionExpression: 'attribute_not_exists(pk) OR #status = :declined',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':declined': 'DECLINED' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
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
  return update({
    Key: TutorApplicationEntity.key(app.userId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    // The same application: a new one after a decline has another submittedAt (and gsi3 key).
    ConditionExpression: `#status IN (${froms.join(', ')}) AND #submittedAt = :submittedAt`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }).Update;
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
    const { TableName: _table, ...move } = tutorApplicationStatusUpdate(...args);
    const { Attributes } = await updateItem({ ...move, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
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
  const out = await query({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p',
    ExpressionAttributeValues: { ':p': partition },
    ExclusiveStartKey: start,
    Limit: limit,
  });
  return { items: (out.Items ?? []).map(tutorApplicationFromItem), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};
