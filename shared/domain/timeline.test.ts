import { approvalBackstop, isStepDue, sessionSteps, stepsToSchedule } from './timeline';

const now = new Date('2026-12-01T10:00:00Z');
const paid = {
  status: 'SCHEDULED' as const,
  paymentStatus: 'PAID' as const,
  scheduledAt: '2026-12-03T12:00:00.000Z',
  durationMinutes: 60,
  createdAt: '2026-11-30T12:00:00.000Z',
};

describe('A paid session’s timeline', () => {
  it('is the day-before reminder, the 15-minute one, the start and the end, each at its time', () => {
    expect(sessionSteps(paid)).toEqual([
      { step: 'REMIND_DAY', at: '2026-12-02T12:00:00.000Z' },
      { step: 'REMIND', at: '2026-12-03T11:45:00.000Z' },
      { step: 'START', at: paid.scheduledAt },
      { step: 'COMPLETE', at: '2026-12-03T13:00:00.000Z' },
    ]);
  });

  it('has no day-before reminder when booked less than a day ahead', () => {
    expect(sessionSteps({ ...paid, createdAt: '2026-12-02T12:00:01.000Z' }).map((p) => p.step)).toEqual(['REMIND', 'START', 'COMPLETE']);
  });

  it('drops a reminder once sent for this start, and reminds again after a move', () => {
    expect(sessionSteps({ ...paid, dayReminderSentFor: paid.scheduledAt, reminderSentFor: paid.scheduledAt }).map((p) => p.step)).toEqual(['START', 'COMPLETE']);
    expect(sessionSteps({ ...paid, dayReminderSentFor: '2026-12-02T12:00:00.000Z' })[0]!.step).toBe('REMIND_DAY');
  });

  it('in progress is its end only; unpaid, closed or completed, nothing', () => {
    expect(sessionSteps({ ...paid, status: 'IN_PROGRESS' })).toEqual([{ step: 'COMPLETE', at: '2026-12-03T13:00:00.000Z' }]);
    expect(sessionSteps({ ...paid, paymentStatus: 'PENDING' })).toEqual([]);
    expect(sessionSteps({ ...paid, status: 'CANCELLED' })).toEqual([]);
    expect(sessionSteps({ ...paid, status: 'COMPLETED' })).toEqual([]);
  });
});

describe('Scheduling the timeline', () => {
  it('leaves out a reminder whose time passed more than an hour ago, never the start or the end', () => {
    const late = new Date('2026-12-03T12:45:00.001Z');
    expect(stepsToSchedule(paid, late).map((p) => p.step)).toEqual(['START', 'COMPLETE']);
    const hourLate = new Date('2026-12-02T13:00:00.000Z');
    expect(stepsToSchedule(paid, hourLate).map((p) => p.step)).toEqual(['REMIND_DAY', 'REMIND', 'START', 'COMPLETE']);
    expect(stepsToSchedule(paid, new Date(hourLate.getTime() + 1)).map((p) => p.step)).toEqual(['REMIND', 'START', 'COMPLETE']);
  });
});

describe('A step whose schedule fires', () => {
  const remind = { step: 'REMIND' as const, at: '2026-12-03T11:45:00.000Z' };

  it('runs when the session still plans it for that time, a reminder up to an hour late', () => {
    expect(isStepDue(paid, remind, new Date('2026-12-03T11:45:30Z'))).toBe(true);
    expect(isStepDue(paid, remind, new Date('2026-12-03T12:45:00Z'))).toBe(true);
    expect(isStepDue(paid, remind, new Date('2026-12-03T12:45:00.001Z'))).toBe(false);
  });

  it('does nothing when the session moved, was reminded already, or closed', () => {
    expect(isStepDue({ ...paid, scheduledAt: '2026-12-04T12:00:00.000Z' }, remind, now)).toBe(false);
    expect(isStepDue({ ...paid, reminderSentFor: paid.scheduledAt }, remind, now)).toBe(false);
    expect(isStepDue({ ...paid, status: 'CANCELLED' }, remind, now)).toBe(false);
    expect(isStepDue({ ...paid, status: 'IN_PROGRESS' }, { step: 'START', at: paid.scheduledAt }, now)).toBe(false);
  });

  it('ends a session whose start never ran (its end still comes)', () => {
    expect(isStepDue(paid, { step: 'COMPLETE', at: '2026-12-03T13:00:00.000Z' }, new Date('2026-12-03T13:00:10Z'))).toBe(true);
  });
});

describe('The reminders and the expiry of an unanswered request', () => {
  const request = { ...paid, status: 'PENDING_MENTOR_REVIEW' as const, paymentStatus: 'PENDING' as const, approvalDeadline: '2026-12-04T10:00:00.000Z' };
  const expiry = { step: 'EXPIRE' as const, at: '2026-12-04T10:00:00.000Z' };

  it('come 24 hours and 2 hours before the approval deadline, and the expiry at it', () => {
    expect(stepsToSchedule(request, now)).toEqual([
      { step: 'REMIND_APPROVAL_24H', at: '2026-12-03T10:00:00.000Z' },
      { step: 'REMIND_APPROVAL_2H', at: '2026-12-04T08:00:00.000Z' },
      expiry,
    ]);
  });

  it('skip the points already past: a shorter deadline gets fewer reminders, never no expiry', () => {
    expect(stepsToSchedule({ ...request, approvalDeadline: '2026-12-02T06:00:00.000Z' }, now)).toEqual([
      { step: 'REMIND_APPROVAL_2H', at: '2026-12-02T04:00:00.000Z' },
      { step: 'EXPIRE', at: '2026-12-02T06:00:00.000Z' },
    ]);
    expect(stepsToSchedule({ ...request, approvalDeadline: '2026-12-01T11:30:00.000Z' }, now)).toEqual([{ step: 'EXPIRE', at: '2026-12-01T11:30:00.000Z' }]);
    // A deadline passed while the schedules were being made: the expiry still runs, late.
    expect(stepsToSchedule({ ...request, approvalDeadline: '2026-12-01T09:00:00.000Z' }, now)).toEqual([{ step: 'EXPIRE', at: '2026-12-01T09:00:00.000Z' }]);
  });

  it('expires it whenever its schedule fires, unless the request was decided or its deadline moved', () => {
    expect(isStepDue(request, expiry, new Date('2026-12-04T10:00:00Z'))).toBe(true);
    expect(isStepDue(request, expiry, new Date('2026-12-05T10:00:00Z'))).toBe(true);
    expect(isStepDue({ ...request, status: 'SCHEDULED' }, expiry, now)).toBe(false);
    expect(isStepDue({ ...request, status: 'REJECTED' }, expiry, now)).toBe(false);
    expect(isStepDue({ ...request, approvalDeadline: '2026-12-04T09:00:00.000Z' }, expiry, now)).toBe(false);
  });

  it('has the workflow’s own timeout an hour after the deadline, as a backstop', () => {
    expect(approvalBackstop(request).toISOString()).toBe('2026-12-04T11:00:00.000Z');
    expect(approvalBackstop({ scheduledAt: paid.scheduledAt, approvalDeadline: null }).toISOString()).toBe('2026-12-03T13:00:00.000Z');
  });

  it('are not sent once the request is decided or its deadline moved', () => {
    const reminder = { step: 'REMIND_APPROVAL_2H' as const, at: '2026-12-04T08:00:00.000Z' };
    const at = new Date('2026-12-04T08:00:20Z');
    expect(isStepDue(request, reminder, at)).toBe(true);
    expect(isStepDue({ ...request, status: 'SCHEDULED' }, reminder, at)).toBe(false);
    expect(isStepDue({ ...request, approvalDeadline: '2026-12-04T09:00:00.000Z' }, reminder, at)).toBe(false);
  });
});
