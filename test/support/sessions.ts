/** Sessions written straight to the table (no workflow, no payment provider), in any state a test needs. */
import { ulid } from 'ulid';
import { insertSession } from '../../shared/data/sessions';
import type { Session } from '../../shared/domain/session';

/** A paid, SCHEDULED session `days` ahead (10:00 UTC), between `studentId` and `tutorId`. */
export const givenSession = async (studentId: string, tutorId: string, over: Partial<Session> = {}, days = 5): Promise<Session> => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(10, 0, 0, 0);
  const now = new Date().toISOString();
  const s: Session = {
    id: ulid(),
    studentId,
    tutorId,
    student: { id: studentId, displayName: `Student ${studentId}` },
    tutor: { id: tutorId, displayName: `Tutor ${tutorId}` },
    title: 'Career chat',
    notes: null,
    scheduledAt: at.toISOString(),
    durationMinutes: 60,
    price: { amount: 500_000, currency: 'NGN' },
    bookingMode: 'INSTANT',
    status: 'SCHEDULED',
    paymentStatus: 'PAID',
    meetingUrl: null,
    approvalNotes: null,
    rejectedAt: null,
    approvalDeadline: null,
    createdAt: now,
    updatedAt: now,
    ...over,
  };
  await insertSession(s, []);
  return s;
};
