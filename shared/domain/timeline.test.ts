import { isDue, MAX_TIMELINE_WAIT_SECONDS, nextApprovalReminder, nextTimelineStep, timelineWait } from './timeline';

const now = new Date('2026-12-01T10:00:00Z');
const paid = { status: 'SCHEDULED' as const, paymentStatus: 'PAID' as const, scheduledAt: '2026-12-01T12:00:00.000Z', durationMinutes: 60, createdAt: '2026-12-01T09:00:00.000Z' };

describe('The timeline’s waits', () => {
  it('last until the step’s time, counted from now', () => {
    const plan = nextTimelineStep(paid);
    expect(plan).toEqual({ step: 'REMIND', wakeAt: '2026-12-01T11:45:00.000Z' });
    const wait = timelineWait(plan, undefined, now);
    expect(wait).toEqual({ ...plan, timeoutSeconds: 105 * 60, laterSeconds: 0 });
    expect(isDue(wait)).toBe(true);
  });

  it('last at least a second for a step whose time has come', () => {
    expect(timelineWait({ step: 'START', wakeAt: '2026-12-01T09:00:00.000Z' }, undefined, now).timeoutSeconds).toBe(1);
  });

  it('run in parts of at most 20 days, each continuing from the one before, not from the clock', () => {
    const plan = { step: 'REMIND' as const, wakeAt: '2027-02-09T10:00:00.000Z' }; // 70 days ahead
    const total = 70 * 24 * 3600;
    const first = timelineWait(plan, undefined, now);
    expect(first).toMatchObject({ timeoutSeconds: MAX_TIMELINE_WAIT_SECONDS, laterSeconds: total - MAX_TIMELINE_WAIT_SECONDS });
    expect(isDue(first)).toBe(false);
    // The clock says nothing about the next part (a time-compressed local run barely moved it).
    const second = timelineWait(plan, first, now);
    expect(second.laterSeconds).toBe(total - 2 * MAX_TIMELINE_WAIT_SECONDS);
    const fourth = timelineWait(plan, timelineWait(plan, second, now), now);
    expect(fourth).toMatchObject({ timeoutSeconds: total - 3 * MAX_TIMELINE_WAIT_SECONDS, laterSeconds: 0 });
    expect(isDue(fourth)).toBe(true);
  });

  it('count from the clock again once the session plans another step or time (it was moved)', () => {
    const far = { step: 'REMIND' as const, wakeAt: '2027-02-09T10:00:00.000Z' };
    const first = timelineWait(far, undefined, now);
    const moved = timelineWait({ step: 'REMIND', wakeAt: '2026-12-02T10:00:00.000Z' }, first, now);
    expect(moved).toMatchObject({ timeoutSeconds: 24 * 3600, laterSeconds: 0 });
    expect(timelineWait({ step: 'DONE' }, first, now)).toEqual({ step: 'DONE' });
  });
});

describe('The timeline’s reminders', () => {
  const ahead = { ...paid, scheduledAt: '2026-12-03T12:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z' };

  it('remind the day before, then 15 minutes before, then start', () => {
    expect(nextTimelineStep(ahead, now)).toEqual({ step: 'REMIND_DAY', wakeAt: '2026-12-02T12:00:00.000Z' });
    const dayDone = { ...ahead, dayReminderSentFor: ahead.scheduledAt };
    expect(nextTimelineStep(dayDone, now)).toEqual({ step: 'REMIND', wakeAt: '2026-12-03T11:45:00.000Z' });
    expect(nextTimelineStep({ ...dayDone, reminderSentFor: ahead.scheduledAt }, now)).toEqual({ step: 'START', wakeAt: ahead.scheduledAt });
  });

  it('skip the day-before reminder of a session booked less than a day ahead', () => {
    expect(nextTimelineStep({ ...ahead, createdAt: '2026-12-02T12:00:01.000Z' }, now)).toEqual({ step: 'REMIND', wakeAt: '2026-12-03T11:45:00.000Z' });
  });

  it('remind again after a move: a reminder sent for the old start does not count', () => {
    expect(nextTimelineStep({ ...ahead, dayReminderSentFor: '2026-12-02T12:00:00.000Z' }, now).step).toBe('REMIND_DAY');
  });

  it('send a reminder up to an hour late, and skip it after that', () => {
    const hourLate = new Date('2026-12-02T13:00:00.000Z');
    expect(nextTimelineStep(ahead, hourLate).step).toBe('REMIND_DAY');
    expect(nextTimelineStep(ahead, new Date(hourLate.getTime() + 1))).toEqual({ step: 'REMIND', wakeAt: '2026-12-03T11:45:00.000Z' });
    expect(nextTimelineStep(ahead, new Date('2026-12-03T12:45:00.001Z'))).toEqual({ step: 'START', wakeAt: ahead.scheduledAt });
  });
});

describe('The reminders of an unanswered request', () => {
  const deadline = '2026-12-04T10:00:00.000Z'; // 72 hours after `now`

  it('come 24 hours and 2 hours before the approval deadline, in that order, then none', () => {
    expect(nextApprovalReminder(deadline, now)).toEqual({ remind: '24h', at: '2026-12-03T10:00:00.000Z' });
    expect(nextApprovalReminder(deadline, now, '24h')).toEqual({ remind: '2h', at: '2026-12-04T08:00:00.000Z' });
    expect(nextApprovalReminder(deadline, now, '2h')).toBeUndefined();
  });

  it('skip the points already past: a shorter deadline gets fewer reminders', () => {
    expect(nextApprovalReminder('2026-12-02T06:00:00.000Z', now)).toEqual({ remind: '2h', at: '2026-12-02T04:00:00.000Z' });
    expect(nextApprovalReminder('2026-12-01T11:30:00.000Z', now)).toBeUndefined();
    // The timer of the 24-hour point came late, after the 2-hour point: straight to the deadline.
    expect(nextApprovalReminder(deadline, new Date('2026-12-04T08:30:00.000Z'), '24h')).toBeUndefined();
  });
});
