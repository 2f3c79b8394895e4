/**
 * Seeds the demo users (and the tutors' profiles) into the table named by TABLE_NAME.
 * Idempotent: a user whose user item exists is left alone, so a second start keeps what the
 * demo users have changed since (a tutor's edited profile, for instance).
 *
 * The data modules create their DynamoDB client at import, from the environment: set
 * TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB before importing this module.
 */
import { getUser, putUser } from '../../shared/data/users';
import { putTutorProfile } from '../../shared/data/tutors';
import { tutorProfileInput } from '../../shared/schemas/tutor';
import { DEMO_USERS, type DemoUser } from './demo-data';

export interface SeedResult {
  seeded: string[];
  kept: string[];
}

export const seedDemoData = async (opts: { users?: readonly DemoUser[]; now?: Date } = {}): Promise<SeedResult> => {
  const users = opts.users ?? DEMO_USERS;
  const now = (opts.now ?? new Date()).toISOString();
  const result: SeedResult = { seeded: [], kept: [] };
  await Promise.all(
    users.map(async (user) => {
      if (await getUser(user.id)) {
        result.kept.push(user.id);
        return;
      }
      // The profile first: if we stop half-way, the absent user item makes the next start redo both.
      if (user.profile) {
        const profile = tutorProfileInput.parse(user.profile);
        await putTutorProfile({ ...profile, id: user.id, ratingAverage: null, ratingCount: 0, createdAt: now, updatedAt: now });
      }
      await putUser({ id: user.id, displayName: user.displayName, email: user.email, roles: [...user.roles], createdAt: now });
      result.seeded.push(user.id);
    }),
  );
  const order = (ids: string[]) => users.map((u) => u.id).filter((id) => ids.includes(id));
  return { seeded: order(result.seeded), kept: order(result.kept) };
};
