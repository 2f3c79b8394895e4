/** One query key per resource: mutations and pushes invalidate by these. */
import type { SessionStatus, StudentView, TutorView } from '../lib/types';

export const keys = {
  me: ['me'] as const,
  tutors: ['tutors'] as const,
  tutor: (id: string) => ['tutor', id] as const,
  slots: (id: string, durationMinutes: number) => ['slots', id, durationMinutes] as const,
  allSlots: ['slots'] as const,
  session: (id: string) => ['session', id] as const,
  recordings: (id: string) => ['recordings', id] as const,
  mySessions: (view?: StudentView) => (view ? (['my-sessions', view] as const) : (['my-sessions'] as const)),
  tutorSessions: (view?: TutorView) => (view ? (['tutor-sessions', view] as const) : (['tutor-sessions'] as const)),
  tutorStats: ['tutor-stats'] as const,
  wallet: ['wallet'] as const,
  banks: (currency: string) => ['banks', currency] as const,
  payoutAccount: ['payout-account'] as const,
  withdrawals: ['withdrawals'] as const,
  notifications: ['notifications'] as const,
  adminSessions: (status?: SessionStatus) => (status ? (['admin-sessions', status] as const) : (['admin-sessions'] as const)),
  tutorApplications: ['tutor-applications'] as const,
  preferences: ['preferences'] as const,
};
