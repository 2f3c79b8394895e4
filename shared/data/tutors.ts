/** Tutor profiles: one item per tutor, listed for browsing through gsi3. */
import { WEEKDAYS } from '../domain/availability';
import { SESSION_DURATIONS } from '../domain/booking';
import { BOOKING_MODES } from '../domain/session';
import type { TutorProfile, TutorProfileInput } from '../schemas/tutor';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { entity, optionalNullable, sameShape, storedMoney } from './entity';
import { code, indexText, keyText, partitionText } from './access-text';
import { REVIEW_PREFIX, tutorBrowseIndex, tutorPartition, tutorProfileKey, TUTORS_PARTITION } from './keys';
import { check, getItem, putItem, query, update, updateItem } from './ops';

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

/** The average as shown: two decimal places, null before the first review. */
export const ratingAverageOf = (sum: number, count: number): number | null => (count > 0 ? Math.round((sum / count) * 100) / 100 : null);

/**
 * The rating is stored as an integer sum and a count, which a review adds to in its own
 * transaction without reading them (no lost update, no rounding carried from one review to the
 * next); the average is worked out here, where profiles are read. A profile stored before the
 * sum holds the rounded average instead (`ratingAverage`, no `ratingSum`): its next review
 * writes the sum (shared/data/reviews.ts).
 */
const storedProfile = z.pipe(
  z.extend(storedProfileInput, {
    id: z.string(),
    ratingCount: z.number(),
    ratingSum: z.optional(z.number()),
    ratingAverage: optionalNullable(z.number()),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
  z.transform(({ ratingSum, ratingAverage, ...p }) => ({
    ...p,
    ratingAverage: ratingSum === undefined ? (p.ratingCount > 0 ? (ratingAverage ?? null) : null) : ratingAverageOf(ratingSum, p.ratingCount),
  })),
);
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

/** A whole profile (the seed's, the tests'), its rating as a sum. */
export const putTutorProfile = async (profile: TutorProfile): Promise<void> => {
  const { ratingAverage, ...item } = TutorProfileEntity.item(profile);
  await putItem({ Item: { ...item, ratingSum: Math.round(((ratingAverage as number | null) ?? 0) * profile.ratingCount) } });
};

export const getTutorProfile = async (tutorId: string): Promise<TutorProfile | undefined> => {
  const item = await getItem(TutorProfileEntity.key(tutorId));
  return item ? toProfile(item) : undefined;
};

/**
 * The profile's version: one more at every change the tutor makes to it (ratings are not
 * theirs and leave it), 0 on a profile not changed since it was stored whole. A session keeps
 * the tutor's booking terms with the version they were read at (./session-terms.ts), and a
 * move checks the version is still that one instead of reading the profile again.
 */
const PROFILE_VERSION = 'profileVersion';
const storedVersion = z.object({ [PROFILE_VERSION]: z.optional(z.number()) });

export const getTutorProfileVersioned = async (tutorId: string): Promise<{ profile: TutorProfile; version: number } | undefined> => {
  const item = await getItem(TutorProfileEntity.key(tutorId));
  return item ? { profile: toProfile(item), version: storedVersion.parse(item)[PROFILE_VERSION] ?? 0 } : undefined;
};

/** A transaction's check that the tutor's profile is still at `version` (and exists). */
export const profileVersionCheck = (tutorId: string, version: number) =>
  check({
    Key: TutorProfileEntity.key(tutorId),
    ConditionExpression: version === 0 ? 'attribute_exists(pk) AND attribute_not_exists(#v)' : '#v = :v',
    ExpressionAttributeNames: { '#v': PROFILE_VERSION },
    ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
  });

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
  // No `ratingSum` here: the first review adds it (a profile stored with an average and no sum keeps its count until its next review writes the sum).
  const keep = { createdAt: now, ratingCount: 0 };
  Object.entries(keep).forEach(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:k${i}`] = v;
    sets.push(`#k${i} = if_not_exists(#k${i}, :k${i})`);
  });
  names['#version'] = PROFILE_VERSION;
  values[':noVersion'] = 0;
  values[':one'] = 1;
  sets.push('#version = if_not_exists(#version, :noVersion) + :one');
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
