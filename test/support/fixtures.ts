/** Tutors for tests, written with the same data access the application uses. */
import { putTutorProfile } from '../../shared/data/tutors';
import { WEEKDAYS, type TutorProfile } from '../../shared/schemas/tutor';

/** Every day, all day: a tutor with no hours set can be booked at no time at all. */
export const ALL_WEEK = WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));

export const tutorFixture = (id: string, over: Partial<TutorProfile> = {}): TutorProfile => ({
  id,
  displayName: `Tutor ${id}`,
  bio: '',
  hourlyRate: { amount: 500_000, currency: 'NGN' },
  durations: [30, 60, 90],
  bookingModes: ['INSTANT', 'REQUEST'],
  timezone: 'UTC',
  availability: ALL_WEEK,
  minimumNoticeMinutes: 15,
  bufferMinutes: 0,
  ratingAverage: null,
  ratingCount: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

export const givenTutor = async (id: string, over: Partial<TutorProfile> = {}) => {
  const t = tutorFixture(id, over);
  await putTutorProfile(t);
  return t;
};

/** A start time `days` days from now, on the hour. */
export const slot = (days: number, hour = 10): string => {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};
