/** GET /me's one read: the user item with their tutor profile, their application to tutor and the inbox's unread counter. */
import { BatchGetCommand, type BatchGetCommandOutput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './client';
import { InboxCounter } from './notifications';
import { tableName } from './ops';
import { TutorApplicationEntity } from './tutor-applications';
import { TutorProfileEntity } from './tutors';
import { UserEntity, type User } from './users';
import type { TutorApplication } from '../schemas/tutor';
import type { TutorProfile } from '../schemas/tutor';

export interface UserOverview {
  user: User | undefined;
  tutorProfile: TutorProfile | undefined;
  tutorApplication: TutorApplication | undefined;
  unreadNotifications: number;
}

/**
 * Everything GET /me shows, in one BatchGetItem (consistent: a user who was just approved
 * sees it): the user item, their tutor profile, their application to tutor and the inbox's
 * unread counter.
 */
export const userOverview = async (userId: string): Promise<UserOverview> => {
  const table = tableName();
  const found: Record<string, unknown>[] = [];
  let keys: Record<string, unknown>[] | undefined = [UserEntity.key(userId), TutorProfileEntity.key(userId), TutorApplicationEntity.key(userId), InboxCounter.key(userId)];
  // BatchGetItem may leave keys for a second round under load; the SDK retries only the call.
  for (let round = 0; keys?.length; round += 1) {
    if (round > 0) await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** round));
    const out: BatchGetCommandOutput = await ddb.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }));
    found.push(...(out.Responses?.[table] ?? []));
    keys = out.UnprocessedKeys?.[table]?.Keys;
    if (round >= 5 && keys?.length) throw new Error('BatchGetItem left keys unprocessed after 6 rounds');
  }
  const item = (key: { pk: string; sk: string }) => found.find((i) => i.pk === key.pk && i.sk === key.sk);
  const user = item(UserEntity.key(userId));
  const profile = item(TutorProfileEntity.key(userId));
  const application = item(TutorApplicationEntity.key(userId));
  const counter = item(InboxCounter.key(userId));
  return {
    user: user ? UserEntity.parse(user) : undefined,
    tutorProfile: profile ? TutorProfileEntity.parse(profile) : undefined,
    tutorApplication: application ? TutorApplicationEntity.parse(application) : undefined,
    unreadNotifications: Math.max(0, (counter && InboxCounter.parse(counter).unread) ?? 0),
  };
};
