import { InvalidStateError, ForbiddenError } from './errors';
import { approvalDeadline, assertBeforeDeadline, liveInfo, overlaps, transition, TRANSITIONS, SESSION_STATUSES } from './session';

describe('The session lifecycle', () => {
  it('lets only the tutor approve or reject, and only a pending request', () => {
    expect(transition('PENDING_MENTOR_REVIEW', 'APPROVE', 'TUTOR')).toBe('SCHEDULED');
    expect(transition('PENDING_MENTOR_REVIEW', 'REJECT', 'TUTOR')).toBe('REJECTED');
    expect(() => transition('PENDING_MENTOR_REVIEW', 'APPROVE', 'STUDENT')).toThrow(ForbiddenError);
    expect(() => transition('PENDING_MENTOR_REVIEW', 'APPROVE', 'ADMIN')).toThrow(ForbiddenError);
    for (const status of SESSION_STATUSES.filter((s) => s !== 'PENDING_MENTOR_REVIEW')) {
      expect(() => transition(status, 'APPROVE', 'TUTOR')).toThrow(InvalidStateError);
      expect(() => transition(status, 'REJECT', 'TUTOR')).toThrow(InvalidStateError);
    }
  });

  it('expires a pending request only by the system', () => {
    expect(transition('PENDING_MENTOR_REVIEW', 'EXPIRE', 'SYSTEM')).toBe('REJECTED');
    expect(() => transition('PENDING_MENTOR_REVIEW', 'EXPIRE', 'TUTOR')).toThrow(ForbiddenError);
  });

  it('cancels only before the session runs, and runs the timeline only forwards', () => {
    expect(transition('SCHEDULED', 'CANCEL', 'STUDENT')).toBe('CANCELLED');
    expect(transition('PENDING_MENTOR_REVIEW', 'CANCEL', 'TUTOR')).toBe('CANCELLED');
    expect(() => transition('IN_PROGRESS', 'CANCEL', 'ADMIN')).toThrow(InvalidStateError);
    expect(() => transition('COMPLETED', 'CANCEL', 'ADMIN')).toThrow(InvalidStateError);
    expect(transition('SCHEDULED', 'START', 'SYSTEM')).toBe('IN_PROGRESS');
    expect(transition('IN_PROGRESS', 'COMPLETE', 'SYSTEM')).toBe('COMPLETED');
    expect(() => transition('SCHEDULED', 'COMPLETE', 'SYSTEM')).toThrow(InvalidStateError);
  });

  it('has no transition out of a final state', () => {
    for (const rule of Object.values(TRANSITIONS)) {
      expect(rule.from).not.toContain('REJECTED');
      expect(rule.from).not.toContain('CANCELLED');
      expect(rule.from).not.toContain('COMPLETED');
    }
  });
});

describe('The approval deadline', () => {
  const requested = new Date('2026-12-01T08:00:00Z');

  it('is 72 hours after the request when the session is later than that', () => {
    expect(approvalDeadline(requested, new Date('2026-12-10T10:00:00Z')).toISOString()).toBe('2026-12-04T08:00:00.000Z');
  });

  it('is the session start when that comes first', () => {
    expect(approvalDeadline(requested, new Date('2026-12-02T10:00:00Z')).toISOString()).toBe('2026-12-02T10:00:00.000Z');
  });

  it('refuses a decision at or after the deadline', () => {
    const s = { approvalDeadline: '2026-12-04T08:00:00.000Z' };
    expect(() => assertBeforeDeadline(s, new Date('2026-12-04T07:59:59.999Z'))).not.toThrow();
    expect(() => assertBeforeDeadline(s, new Date('2026-12-04T08:00:00.000Z'))).toThrow(InvalidStateError);
    expect(() => assertBeforeDeadline({ approvalDeadline: null }, new Date())).not.toThrow();
  });
});

describe('The session page', () => {
  const s = { scheduledAt: '2026-12-01T10:00:00.000Z', durationMinutes: 60, status: 'SCHEDULED' as const };

  it('counts down to the start and is not live before it', () => {
    expect(liveInfo(s, new Date('2026-12-01T09:58:30Z'))).toEqual({ isLive: false, startsInSeconds: 90 });
    expect(liveInfo(s, new Date('2026-12-01T09:59:59.500Z'))).toEqual({ isLive: false, startsInSeconds: 1 });
  });

  it('is live from the start to the end inclusive', () => {
    expect(liveInfo(s, new Date('2026-12-01T10:00:00Z'))).toEqual({ isLive: true, startsInSeconds: 0 });
    expect(liveInfo(s, new Date('2026-12-01T11:00:00Z'))).toEqual({ isLive: true, startsInSeconds: 0 });
    expect(liveInfo(s, new Date('2026-12-01T11:00:00.001Z')).isLive).toBe(false);
  });

  it('is never live for a session that is not going ahead', () => {
    expect(liveInfo({ ...s, status: 'CANCELLED' }, new Date('2026-12-01T10:30:00Z')).isLive).toBe(false);
    expect(liveInfo({ ...s, status: 'PENDING_MENTOR_REVIEW' }, new Date('2026-12-01T10:30:00Z')).isLive).toBe(false);
    expect(liveInfo({ ...s, status: 'IN_PROGRESS' }, new Date('2026-12-01T10:30:00Z')).isLive).toBe(true);
  });
});

describe('Overlap of time ranges', () => {
  const d = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
  it('counts shared time as overlap and back-to-back as none', () => {
    expect(overlaps(d(10), d(11), d(10), d(11))).toBe(true);
    expect(overlaps(d(10), d(12), d(11), d(13))).toBe(true);
    expect(overlaps(d(10), d(11), d(11), d(12))).toBe(false);
    expect(overlaps(d(11), d(12), d(10), d(11))).toBe(false);
  });
});
