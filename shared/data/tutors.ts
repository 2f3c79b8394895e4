/** Tutor profiles: one item per tutor, listed for browsing through gsi3. */
import { WEEKDAYS } from '../domain/availability';
import { SESSION_DURATIONS } from '../domain/booking';
import { BOOKING_MODES } from '../domain/session';
import type { TutorProfile, TutorProfileInput } from '../schemas/tutor';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { entity, sameShape, storedMoney } from './entity';
import { code, indexText, keyText, partitionText } from './access-text';
import { REVIEW_PREFIX, tutorBrowseIndex, tutorPartition, tutorProfileKey, TUTORS_PARTITION } from './keys';
import { getItem, putItem, query, update, updateItem } from './ops';

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi3pk', 'gsi3sk'];

/** The profile as the tutor sent it (checked then), with ids, ratings and times. */
export const storedProfileInput = z.object({
  displayName: z.string(),
  bio: z.string(),
  hourlyRate: storedMoney,
  durations: z.array(z.literal(SESSION_DURATIONS)),
  bookingModes: z.array(z.enum(BOOKING_MODES)),
  timezone: z.string(),
  availability: z.array(z.object({ day: z.enum(WEEKDAYS), start: z.string(), end: z.string() })),
  minimumNoticeMinutes: z.number(),
  bufferMinutes: z.number(),
});
sameShape<z.output<typeof storedProfileInput>, TutorProfileInput>(true);

const storedProfile = z.extend(storedProfileInput, {
  id: z.string(),
  ratingAverage: z.nullable(z.number()),
  ratingCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
sameShape<z.output<typeof storedProfile>, TutorProfile>(true);

export const TutorProfileEntity = entity({
  type: 'TutorProfile',
  about: 'TutorProfile',
  key: tutorProfileKey,
  schema: storedProfile,
  keys: (p) => ({ ...tutorProfileKey(p.id), ...tutorBrowseIndex(p.id) }),
  sample: () => ({ ...tutorProfileKey('<id>'), ...tutorBrowseIndex('<tutorId>') }),
  accessPatterns: () => [
    { pattern: 'tutors for browsing', key: indexText('gsi3', TUTORS_PARTITION), operation: 'Query' },
    { pattern: 'tutor profile', key: keyText(tutorProfileKey('<id>')), operation: 'GetItem' },
    {
      pattern: 'tutor profile with its newest reviews',
      key: `${partitionText(tutorPartition('<id>'))}, sk between ${code(tutorProfileKey('<id>').sk)} and ${code(`${REVIEW_PREFIX}~`)}`,
      operation: 'Query ↑ (profile, then newest reviews)',
    },
  ],
});

export const toProfile = TutorProfileEntity.parse;

export const putTutorProfile = async (profile: TutorProfile): Promise<void> => {
  await putItem({ Item: TutorProfileEntity.item(profile) });
};

export const getTutorProfile = async (tutorId: string): Promise<TutorProfile | undefined> => {
  const item = await getItem(TutorProfileEntity.key(tutorId));
  return item ? toProfile(item) : undefined;
};

export const listTutorProfiles = async (cursor: string | undefined, limit: number): Promise<Page<TutorProfile>> => {
  const start = decodeCursor(cursor, { attributes: KEY_ATTRIBUTES, partition: ['gsi3pk', TUTORS_PARTITION] });
  const out = await query({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p',
    ExpressionAttributeValues: { ':p': TUTORS_PARTITION },
    ExclusiveStartKey: start,
    Limit: limit,
  });
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
  const sets = Object.entries({ ...input, ...tutorBrowseIndex(tutorId), id: tutorId, type: TutorProfileEntity.type, updatedAt: now }).map(([k, v], i) => {
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
  return update({
    Key: TutorProfileEntity.key(tutorId),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }).Update;
};

export const upsertTutorProfile = async (tutorId: string, input: TutorProfileInput, now: string): Promise<TutorProfile> => {
  const { TableName: _table, ...upsert } = tutorProfileUpsert(tutorId, input, now);
  const { Attributes } = await updateItem({ ...upsert, ReturnValues: 'ALL_NEW' });
  return toProfile(Attributes!);
};
