/** Tutor profiles: browse, read one, and a tutor's own create-or-update. */
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { listTutorProfiles, upsertTutorProfile } from '../data/tutors';
import { profileWithReviews } from '../data/reviews';
import type { Caller } from '../domain/caller';
import type { TutorProfile, TutorProfileInput } from '../schemas/tutor';

export const listTutors = (q: { cursor?: string | undefined; limit: number }) => listTutorProfiles(q.cursor, q.limit);

/** A tutor's public profile with the five newest reviews: one Query. */
export const getTutor = async (tutorId: string) => {
  const { profile, reviews } = await profileWithReviews(tutorId, 5);
  if (!profile) throw new NotFoundError('No such tutor');
  return { ...profile, recentReviews: reviews };
};

/** The caller's own profile: created on first call, updated on later ones (ratings are kept). */
export const putMyTutorProfile = (caller: Caller, input: TutorProfileInput, clock: Clock = systemClock): Promise<TutorProfile> =>
  upsertTutorProfile(caller.userId, input, clock().toISOString());
