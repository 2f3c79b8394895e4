import { awaitingPayment, canReschedule, partyOf, refundPreview, requestAgainHref, studentViewOf, tutorViewOf, startsAsHost } from './sessions';
import type { Session } from './types';

const base: Session = {
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  studentId: 'student-1',
  tutorId: 'tutor-1',
  student: { id: 'student-1', displayName: 'Bola' },
  tutor: { id: 'tutor-1', displayName: 'Ada' },
  title: 'Career chat',
  notes: 'About & more',
  scheduledAt: '2026-12-10T10:00:00Z',
  durationMinutes: 60,
  price: { amount: 500_000, currency: 'NGN' },
  bookingMode: 'REQUEST',
  status: 'SCHEDULED',
  paymentStatus: 'PAID',
  meetingUrl: 'https://zoom.example/j/1',
  approvalNotes: null,
  rejectedAt: null,
  approvalDeadline: null,
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
};
const s = (over: Partial<Session>): Session => ({ ...base, ...over });
const at = (iso: string) => new Date(iso);
const before = at('2026-12-05T10:00:00Z');

describe('Which tab a session is in', () => {
  it('files the student’s sessions in the five tabs as the API’s views do', () => {
    expect(studentViewOf(s({ status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING' }), before)).toBe('awaiting-approval');
    expect(studentViewOf(s({ status: 'SCHEDULED', paymentStatus: 'PENDING' }), before)).toBe('ready-for-payment');
    expect(studentViewOf(s({ status: 'SCHEDULED', paymentStatus: 'PAID' }), before)).toBe('upcoming');
    expect(studentViewOf(s({ status: 'IN_PROGRESS' }), at('2026-12-10T10:30:00Z'))).toBe('upcoming');
    expect(studentViewOf(s({ status: 'COMPLETED' }), before)).toBe('history');
    expect(studentViewOf(s({ status: 'CANCELLED' }), before)).toBe('history');
    expect(studentViewOf(s({ status: 'REJECTED' }), before)).toBe('rejected');
  });

  it('moves a session that has ended to History even before the workflow marks it completed', () => {
    expect(studentViewOf(s({ status: 'SCHEDULED' }), at('2026-12-10T11:00:00Z'))).toBe('history');
    expect(studentViewOf(s({ status: 'SCHEDULED', paymentStatus: 'PENDING' }), at('2026-12-10T11:00:01Z'))).toBe('history');
    expect(studentViewOf(s({ status: 'SCHEDULED' }), at('2026-12-10T10:59:59Z'))).toBe('upcoming');
  });

  it('files the tutor’s sessions in the four tabs, and rejected or cancelled ones in none', () => {
    expect(tutorViewOf({ status: 'PENDING_MENTOR_REVIEW' })).toBe('approvals');
    expect(tutorViewOf({ status: 'SCHEDULED' })).toBe('pending');
    expect(tutorViewOf({ status: 'IN_PROGRESS' })).toBe('active');
    expect(tutorViewOf({ status: 'COMPLETED' })).toBe('completed');
    expect(tutorViewOf({ status: 'REJECTED' })).toBeNull();
    expect(tutorViewOf({ status: 'CANCELLED' })).toBeNull();
  });
});

describe('The refund preview before cancelling', () => {
  it('gives a paying student everything back up to 24 hours before the start', () => {
    expect(refundPreview(base, 'student', at('2026-12-09T10:00:00Z'))).toEqual({ kind: 'full', amount: base.price });
  });

  it('gives a student nothing back later than 24 hours before the start, and says until when it was free', () => {
    expect(refundPreview(base, 'student', at('2026-12-09T10:00:00.001Z'))).toEqual({ kind: 'none', amount: base.price, freeUntil: '2026-12-09T10:00:00.000Z' });
  });

  it('refunds in full whenever the tutor or an admin cancels', () => {
    const late = at('2026-12-10T09:00:00Z');
    expect(refundPreview(base, 'tutor', late)).toEqual({ kind: 'full', amount: base.price });
    expect(refundPreview(base, 'admin', late)).toEqual({ kind: 'full', amount: base.price });
  });

  it('has nothing to refund when nothing was paid', () => {
    expect(refundPreview(s({ paymentStatus: 'PENDING' }), 'student', before)).toEqual({ kind: 'nothing-paid' });
    expect(refundPreview(s({ status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING' }), 'tutor', before)).toEqual({ kind: 'nothing-paid' });
  });

  it('offers no cancellation once the session has started, or when it is not awaiting approval or scheduled', () => {
    expect(refundPreview(base, 'student', at('2026-12-10T10:00:00Z')).kind).toBe('not-cancellable');
    for (const status of ['IN_PROGRESS', 'COMPLETED', 'CANCELLED', 'REJECTED'] as const) expect(refundPreview(s({ status }), 'tutor', before).kind).toBe('not-cancellable');
  });
});

describe('What the viewer may do on the session page', () => {
  it('knows the viewer as the session’s student, its tutor, an admin, or nobody', () => {
    expect(partyOf(base, 'student-1', false)).toBe('student');
    expect(partyOf(base, 'tutor-1', true)).toBe('tutor');
    expect(partyOf(base, 'someone', true)).toBe('admin');
    expect(partyOf(base, 'someone', false)).toBe('none');
  });

  it('lets the student or the tutor reschedule up to 12 hours before the start, never an admin', () => {
    expect(canReschedule(base, 'student', at('2026-12-09T22:00:00Z'))).toBe(true);
    expect(canReschedule(base, 'tutor', at('2026-12-09T22:00:00.001Z'))).toBe(false);
    expect(canReschedule(base, 'admin', before)).toBe(false);
    expect(canReschedule(s({ status: 'COMPLETED' }), 'student', before)).toBe(false);
  });

  it('does not offer to move a request past its approval deadline', () => {
    const request = s({ status: 'PENDING_MENTOR_REVIEW', paymentStatus: 'PENDING', approvalDeadline: '2026-12-04T10:00:00Z' });
    expect(canReschedule(request, 'student', at('2026-12-03T10:00:00Z'))).toBe(true);
    expect(canReschedule(request, 'student', at('2026-12-04T10:00:00Z'))).toBe(false);
  });

  it('shows "Payment processing…" only after a checkout, until the payment is settled', () => {
    const unpaid = s({ paymentStatus: 'PENDING' });
    expect(awaitingPayment(unpaid, true)).toBe(true);
    expect(awaitingPayment(unpaid, false)).toBe(false);
    expect(awaitingPayment(s({ paymentStatus: 'PAID' }), true)).toBe(false);
    expect(awaitingPayment(s({ paymentStatus: 'FAILED' }), true)).toBe(false);
    expect(awaitingPayment(s({ status: 'CANCELLED', paymentStatus: 'PENDING' }), true)).toBe(false);
  });

  it('lets the tutor start the Zoom meeting as host, and nobody else', () => {
    const hosted = { ...base, hostsMeeting: true as const };
    expect(startsAsHost(hosted, 'tutor')).toBe(true);
    expect(startsAsHost(hosted, 'student')).toBe(false);
    expect(startsAsHost({ ...base, hostsMeeting: undefined }, 'tutor')).toBe(false);
  });

  it('pre-fills "Request again" with the rejected request’s title, notes, length and mode', () => {
    const href = requestAgainHref(s({ status: 'REJECTED', durationMinutes: 90 }));
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/mentorship/mentors/tutor-1');
    expect(Object.fromEntries(url.searchParams)).toEqual({ title: 'Career chat', notes: 'About & more', duration: '90', mode: 'REQUEST' });
  });
});
