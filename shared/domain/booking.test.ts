import { bookingTerms, holdBlocks, sessionHoldBlocks, type BookableTutor } from './booking';
import { ForbiddenError, SlotUnavailableError, ValidationError } from './errors';

const tutor: BookableTutor = {
  id: 'tutor-ada',
  hourlyRate: { amount: 500_000, currency: 'NGN' },
  durations: [30, 60, 90],
  bookingModes: ['INSTANT', 'REQUEST'],
  minimumNoticeMinutes: 60,
  bufferMinutes: 0,
  timezone: 'UTC',
  availability: (['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const).map((day) => ({ day, start: '00:00', end: '24:00' })),
};
const now = new Date('2026-12-01T08:00:00Z');
const req = { tutorId: 'tutor-ada', scheduledAt: new Date('2026-12-02T10:00:00Z'), durationMinutes: 90, bookingMode: 'REQUEST' as const };

const pathOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as ValidationError).details?.[0]?.path;
  }
  return undefined;
};

describe('Booking terms', () => {
  it('prices the session, sets the deadline and lists the blocks to hold', () => {
    const terms = bookingTerms('student-bola', tutor, req, now);
    expect(terms.price).toEqual({ amount: 750_000, currency: 'NGN' });
    expect(terms.approvalDeadline?.toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(terms.holdBlocks).toHaveLength(6);
  });

  it('has no approval deadline for INSTANT bookings', () => {
    expect(bookingTerms('s', tutor, { ...req, bookingMode: 'INSTANT' }, now).approvalDeadline).toBeNull();
  });

  it('refuses off-grid starts, short notice, far future, unknown durations and modes', () => {
    expect(pathOf(() => bookingTerms('s', tutor, { ...req, scheduledAt: new Date('2026-12-02T10:05:00Z') }, now))).toBe('scheduledAt');
    expect(pathOf(() => bookingTerms('s', tutor, { ...req, scheduledAt: new Date('2026-12-01T08:45:00Z') }, now))).toBe('scheduledAt');
    expect(pathOf(() => bookingTerms('s', tutor, { ...req, scheduledAt: new Date('2027-12-01T08:00:00Z') }, now))).toBe('scheduledAt');
    expect(pathOf(() => bookingTerms('s', tutor, { ...req, durationMinutes: 45 }, now))).toBe('durationMinutes');
    expect(pathOf(() => bookingTerms('s', { ...tutor, bookingModes: ['REQUEST'] }, { ...req, bookingMode: 'INSTANT' }, now))).toBe('bookingMode');
  });

  it('accepts a start exactly at the minimum notice', () => {
    expect(() => bookingTerms('s', tutor, { ...req, scheduledAt: new Date('2026-12-01T09:00:00Z') }, now)).not.toThrow();
  });

  it('refuses a time outside the tutor’s availability, or any time if they set none, with SLOT_UNAVAILABLE', () => {
    const weekdays = { ...tutor, timezone: 'Africa/Lagos', availability: [{ day: 'WED' as const, start: '09:00', end: '12:00' }] };
    // 2026-12-02 is a Wednesday: 10:00Z is 11:00 in Lagos, so 90 minutes run to 12:30.
    expect(() => bookingTerms('s', weekdays, req, now)).toThrow(SlotUnavailableError);
    expect(() => bookingTerms('s', weekdays, { ...req, scheduledAt: new Date('2026-12-02T08:00:00Z') }, now)).not.toThrow();
    expect(() => bookingTerms('s', { ...tutor, availability: [] }, req, now)).toThrow(SlotUnavailableError);
  });

  it('holds the tutor’s buffer after the session too', () => {
    const terms = bookingTerms('s', { ...tutor, bufferMinutes: 30 }, req, now);
    expect(terms.holdBlocks).toHaveLength(8);
    expect(terms.holdBlocks.at(-1)).toBe('2026-12-02T11:45:00.000Z');
    expect(terms.bufferMinutes).toBe(30);
    expect(sessionHoldBlocks({ scheduledAt: '2026-12-02T10:00:00.000Z', durationMinutes: 90, bufferMinutes: 30 })).toEqual(terms.holdBlocks);
    expect(sessionHoldBlocks({ scheduledAt: '2026-12-02T10:00:00.000Z', durationMinutes: 90 })).toHaveLength(6);
  });

  it('refuses a tutor booking themself', () => {
    expect(() => bookingTerms('tutor-ada', tutor, req, now)).toThrow(ForbiddenError);
  });
});

describe('Held blocks', () => {
  it('covers [start, end) in 15-minute blocks, so back-to-back sessions share none', () => {
    const a = holdBlocks(new Date('2026-12-01T10:00:00Z'), 60);
    const b = holdBlocks(new Date('2026-12-01T11:00:00Z'), 30);
    expect(a).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:15:00.000Z', '2026-12-01T10:30:00.000Z', '2026-12-01T10:45:00.000Z']);
    expect(a.filter((x) => b.includes(x))).toEqual([]);
    const c = holdBlocks(new Date('2026-12-01T10:45:00Z'), 30);
    expect(a.filter((x) => c.includes(x))).toEqual(['2026-12-01T10:45:00.000Z']);
  });
});
