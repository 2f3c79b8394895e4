/**
 * A tutor's free start times (GET /tutors/{tutorId}/slots): their availability, minus the
 * blocks held by their bookings (with their buffers), minus the minimum notice. Two reads,
 * made in parallel: the profile (GetItem) and the held blocks (one Query). The held range
 * read is [from, to + duration + the largest buffer a tutor may have], so it does not need
 * the profile first; a few blocks more than needed are read, never fewer.
 */
import { ceilToGrid, freeSlots, MAX_BUFFER_MINUTES, type Slot } from '../domain/availability';
import { MAX_BOOKING_HORIZON_DAYS } from '../domain/booking';
import { MINUTE_MS, systemClock, type Clock } from '../domain/clock';
import { NotFoundError, ValidationError } from '../domain/errors';
import { listHeldBlocks } from '../data/holds';
import { getTutorProfile } from '../data/tutors';
import type { SlotsQuery } from '../schemas/tutor';

export const listTutorSlots = async (tutorId: string, q: SlotsQuery, clock: Clock = systemClock): Promise<{ items: Slot[]; timezone: string }> => {
  const heldFrom = ceilToGrid(q.from).toISOString();
  const heldTo = new Date(q.to.getTime() + (q.durationMinutes + MAX_BUFFER_MINUTES) * MINUTE_MS).toISOString();
  const [tutor, held] = await Promise.all([getTutorProfile(tutorId), listHeldBlocks(tutorId, heldFrom, heldTo)]);
  if (!tutor) throw new NotFoundError('No such tutor');
  if (!tutor.durations.includes(q.durationMinutes)) {
    throw new ValidationError('Invalid query', [{ path: 'query.durationMinutes', message: `This tutor offers ${tutor.durations.join(', ')} minutes` }]);
  }
  const now = clock();
  const horizon = new Date(now.getTime() + MAX_BOOKING_HORIZON_DAYS * 24 * 60 * MINUTE_MS);
  return { items: freeSlots(tutor, q, held, now, horizon), timezone: tutor.timezone };
};
