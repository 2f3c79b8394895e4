import type { Session } from './session';
import { inStudentView, inTutorView, studentPlacement, STUDENT_VIEWS, tutorBucket } from './views';

const base: Session = {
  id: '01JD0000000000000000000000',
  studentId: 's',
  tutorId: 't',
  student: { id: 's', displayName: 'S' },
  tutor: { id: 't', displayName: 'T' },
  title: 'x',
  notes: null,
  scheduledAt: '2026-12-01T10:00:00.000Z',
  durationMinutes: 60,
  price: { amount: 1, currency: 'NGN' },
  bookingMode: 'REQUEST',
  status: 'PENDING_MENTOR_REVIEW',
  paymentStatus: 'PENDING',
  meetingUrl: null,
  approvalNotes: null,
  rejectedAt: null,
  approvalDeadline: null,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};
const before = new Date('2026-12-01T09:00:00Z');
const during = new Date('2026-12-01T10:30:00Z');
const after = new Date('2026-12-01T11:00:00Z');

const viewsOf = (s: Session, now: Date) => STUDENT_VIEWS.filter((v) => inStudentView(v, s, now));

describe('Student views', () => {
  it('files a pending request under awaiting-approval only', () => {
    expect(viewsOf(base, before)).toEqual(['awaiting-approval']);
  });

  it('shows an approved unpaid session as ready for payment and upcoming until it ends', () => {
    const s: Session = { ...base, status: 'SCHEDULED' };
    expect(viewsOf(s, before)).toEqual(['ready-for-payment', 'upcoming']);
    expect(viewsOf(s, after)).toEqual(['history']);
  });

  it('shows a paid session as upcoming until it ends, then history', () => {
    const s: Session = { ...base, status: 'SCHEDULED', paymentStatus: 'PAID' };
    expect(viewsOf(s, before)).toEqual(['upcoming']);
    expect(viewsOf({ ...s, status: 'IN_PROGRESS' }, during)).toEqual(['upcoming']);
    expect(viewsOf({ ...s, status: 'COMPLETED' }, after)).toEqual(['history']);
  });

  it('files rejected and cancelled sessions under rejected and history', () => {
    expect(viewsOf({ ...base, status: 'REJECTED' }, before)).toEqual(['rejected']);
    expect(viewsOf({ ...base, status: 'CANCELLED' }, before)).toEqual(['history']);
  });
});

describe('Tutor views', () => {
  it('maps statuses to approvals, pending, active, completed', () => {
    expect(inTutorView('approvals', base)).toBe(true);
    expect(inTutorView('pending', { status: 'SCHEDULED' })).toBe(true);
    expect(inTutorView('active', { status: 'IN_PROGRESS' })).toBe(true);
    expect(inTutorView('completed', { status: 'COMPLETED' })).toBe(true);
    expect(tutorBucket({ status: 'CANCELLED' })).toBe('closed');
  });
});

describe('Student placement on the timeline', () => {
  it('keys open sessions at their end and closed ones at their close time, never in the future', () => {
    const open = studentPlacement({ ...base, status: 'SCHEDULED' });
    expect(open).toEqual({ bucket: 'timeline', at: '2026-12-01T11:00:00.000Z' });
    const cancelledEarly = studentPlacement({ ...base, status: 'CANCELLED', updatedAt: '2026-11-25T00:00:00.000Z' });
    expect(cancelledEarly.at).toBe('2026-11-25T00:00:00.000Z');
    const completedLate = studentPlacement({ ...base, status: 'COMPLETED', updatedAt: '2026-12-01T11:00:05.000Z' });
    expect(completedLate.at).toBe('2026-12-01T11:00:00.000Z');
  });

  it('agrees with the view predicates: a timeline key after now is upcoming, at or before now is history', () => {
    const statuses = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
    for (const status of statuses) {
      for (const now of [before, during, after]) {
        const s: Session = { ...base, status, paymentStatus: 'PAID', updatedAt: status === 'COMPLETED' ? after.toISOString() : before.toISOString() };
        if (status === 'COMPLETED' && now < after) continue; // cannot be completed before it ends
        const { at } = studentPlacement(s);
        expect(at > now.toISOString()).toBe(inStudentView('upcoming', s, now));
        expect(at <= now.toISOString()).toBe(inStudentView('history', s, now));
      }
    }
  });
});
