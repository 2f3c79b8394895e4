/**
 * Dashboard views. The predicates say what each view means; the buckets say where
 * the data layer files a session in its index keys, so that each view is one Query however
 * long the user's history is.
 */
import { sessionEnd, type Session } from './session';

export const STUDENT_VIEWS = ['awaiting-approval', 'ready-for-payment', 'upcoming', 'history', 'rejected'] as const;
export type StudentView = (typeof STUDENT_VIEWS)[number];

export const TUTOR_VIEWS = ['approvals', 'pending', 'active', 'completed'] as const;
export type TutorView = (typeof TUTOR_VIEWS)[number];

type ViewFields = Pick<Session, 'status' | 'paymentStatus' | 'scheduledAt' | 'durationMinutes'>;

const ended = (s: ViewFields, now: Date): boolean => sessionEnd(s).getTime() <= now.getTime();

/** What each student view means. */
export const inStudentView = (view: StudentView, s: ViewFields, now: Date): boolean => {
  const open = s.status === 'SCHEDULED' || s.status === 'IN_PROGRESS';
  switch (view) {
    case 'awaiting-approval':
      return s.status === 'PENDING_MENTOR_REVIEW';
    case 'ready-for-payment':
      return s.status === 'SCHEDULED' && s.paymentStatus === 'PENDING' && !ended(s, now);
    case 'upcoming':
      return open && !ended(s, now);
    case 'history':
      return s.status === 'COMPLETED' || s.status === 'CANCELLED' || (open && ended(s, now));
    case 'rejected':
      return s.status === 'REJECTED';
  }
};

/** What each tutor view means. */
export const inTutorView = (view: TutorView, s: Pick<Session, 'status'>): boolean => {
  switch (view) {
    case 'approvals':
      return s.status === 'PENDING_MENTOR_REVIEW';
    case 'pending':
      return s.status === 'SCHEDULED';
    case 'active':
      return s.status === 'IN_PROGRESS';
    case 'completed':
      return s.status === 'COMPLETED';
  }
};

/**
 * Where a session is filed for its student, and at what time it sorts there. SCHEDULED and
 * IN_PROGRESS sessions sit on the `timeline` at their END time; closed ones (COMPLETED,
 * CANCELLED) at the time they closed, which is never in the future. So on the timeline,
 * a key after now is exactly `upcoming`, a key at or before now exactly `history`: each view
 * is one key range, with no status filter and nothing that grows with the user's history.
 */
export type StudentBucket = 'awaiting' | 'timeline' | 'rejected';

export const studentPlacement = (
  s: Pick<Session, 'status' | 'scheduledAt' | 'durationMinutes' | 'createdAt' | 'rejectedAt' | 'updatedAt'>,
): { bucket: StudentBucket; at: string } => {
  switch (s.status) {
    case 'PENDING_MENTOR_REVIEW':
      return { bucket: 'awaiting', at: s.scheduledAt };
    case 'REJECTED':
      return { bucket: 'rejected', at: s.rejectedAt ?? s.updatedAt };
    case 'SCHEDULED':
    case 'IN_PROGRESS':
      return { bucket: 'timeline', at: sessionEnd(s).toISOString() };
    case 'COMPLETED':
    case 'CANCELLED': {
      const end = sessionEnd(s).toISOString();
      return { bucket: 'timeline', at: s.updatedAt < end ? s.updatedAt : end };
    }
  }
};

/** Where a session is filed for its tutor (sorted by start time); `closed` is no dashboard view. */
export type TutorBucket = TutorView | 'closed';

export const tutorBucket = (s: Pick<Session, 'status'>): TutorBucket => {
  switch (s.status) {
    case 'PENDING_MENTOR_REVIEW':
      return 'approvals';
    case 'SCHEDULED':
      return 'pending';
    case 'IN_PROGRESS':
      return 'active';
    case 'COMPLETED':
      return 'completed';
    case 'REJECTED':
    case 'CANCELLED':
      return 'closed';
  }
};
