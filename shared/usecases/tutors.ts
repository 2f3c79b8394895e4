/** Tutor profiles: browse, read one, and a tutor's own create-or-update. */
import { systemClock, type Clock } from '../domain/clock';
import { NotFoundError } from '../domain/errors';
import { getTutorProfile, listTutorProfiles, upsertTutorProfile } from '../data/tutors';
import type { Caller } from '../http/auth';
import type { TutorProfile, TutorProfileInput } from '../schemas/tutor';

export const browseTutors = (q: { cursor?: string | undefined; limit: number }) => listTutorProfiles(q.cursor, q.limit);

export const tutorProfile = async (tutorId: string): Promise<TutorProfile> => {
  const profile = await getTutorProfile(tutorId);
  if (!profile) throw new NotFoundError('No such tutor');
  return profile;
};

/** The caller's own profile: created on first call, updated on later ones (ratings are kept). */
export const saveMyTutorProfile = (caller: Caller, input: TutorProfileInput, clock: Clock = systemClock): Promise<TutorProfile> =>
  upsertTutorProfile(caller.userId, input, clock().toISOString());
