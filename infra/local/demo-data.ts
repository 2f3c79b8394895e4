/**
 * The demo users of the local stack: seeded into the table on first start, and the ids
 * `npm run token -- <userId>` knows. Only plain data here (no AWS clients), so the token
 * command stays fast.
 */
import type { Role } from '../../shared/domain/caller';
import type { TutorProfileInput } from '../../shared/schemas/tutor';
import { WEEKDAYS } from '../../shared/schemas/tutor';

export interface DemoUser {
  id: string;
  displayName: string;
  email: string;
  roles: Role[];
  /** Tutors only: the profile students browse and book. */
  profile?: TutorProfileInput;
}

/** Every day, all day: any future slot (past the minimum notice) is bookable in the demo. */
const allWeek = WEEKDAYS.map((day) => ({ day, start: '00:00', end: '24:00' }));

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: 'tutor-ada',
    displayName: 'Ada Okafor',
    email: 'ada@example.com',
    roles: ['tutor'],
    profile: {
      displayName: 'Ada Okafor',
      bio: 'Backend engineer; mentoring on system design, TypeScript and career growth.',
      hourlyRate: { amount: 500_000, currency: 'NGN' },
      durations: [30, 60, 90],
      bookingModes: ['INSTANT', 'REQUEST'],
      timezone: 'Africa/Lagos',
      availability: allWeek,
      minimumNoticeMinutes: 15,
      bufferMinutes: 0,
    },
  },
  {
    id: 'tutor-tunde',
    displayName: 'Tunde Bakare',
    email: 'tunde@example.com',
    roles: ['tutor'],
    profile: {
      displayName: 'Tunde Bakare',
      bio: 'Data scientist; mentoring on Python, statistics and interview preparation.',
      hourlyRate: { amount: 750_000, currency: 'NGN' },
      durations: [30, 60, 90],
      bookingModes: ['INSTANT', 'REQUEST'],
      timezone: 'UTC',
      availability: allWeek,
      minimumNoticeMinutes: 15,
      bufferMinutes: 0,
    },
  },
  { id: 'student-bola', displayName: 'Bola Adeyemi', email: 'bola@example.com', roles: ['student'] },
  { id: 'student-chidi', displayName: 'Chidi Okeke', email: 'chidi@example.com', roles: ['student'] },
  { id: 'admin-zainab', displayName: 'Zainab Bello', email: 'zainab@example.com', roles: ['admin'] },
];

export const demoUser = (id: string): DemoUser | undefined => DEMO_USERS.find((u) => u.id === id);
