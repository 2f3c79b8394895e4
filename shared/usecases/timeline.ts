/**
 * The session's timeline on one-time schedules (shared/integrations/scheduler.ts): its
 * reminders, start and end, and the tutor's reminders of an unanswered request and its expiry
 * at the approval deadline, each a schedule named after the session and the step. Both entry
 * points converge however often and in whatever order they run: they read the session as it is now.
 */
import { systemClock, type Clock } from '../domain/clock';
import { transition, type Session } from '../domain/session';
import { approvalReminderOf, decisionDeadline, isStepDue, stepsToSchedule, TIMELINE_STEPS, type PlannedStep, type TimelineStep } from '../domain/timeline';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { timelineScheduler, type TimelineScheduler } from '../integrations/scheduler';
import { notify as notifyInbox } from './notify';
import { expireRequest } from './expiry';
import { retryOnStale } from './stale-retry';
import { logger } from '../observability/logger';

export interface TimelineDeps {
  clock: Clock;
  scheduler: TimelineScheduler;
  notify: typeof notifyInbox;
}

export const defaultTimelineDeps: TimelineDeps = { clock: systemClock, scheduler: timelineScheduler, notify: notifyInbox };

/** `<sessionId>-<STEP>`: at most 26 + 1 + 19 characters of [0-9A-Z_-], within Scheduler's 64. */
export const scheduleName = (sessionId: string, step: TimelineStep): string => `${sessionId}-${step}`;

/** What a schedule hands its target. */
export interface TimelineStepInput extends PlannedStep {
  sessionId: string;
}

/**
 * When a step's schedule fires: at its time, or, for a step whose time has come already (a
 * start or end planned late), a minute from now (a one-time schedule's time must lie ahead;
 * Scheduler fires within the minute anyway).
 */
export const fireTime = (at: string, now: Date): Date => new Date(Math.ceil(Math.max(Date.parse(at), now.getTime() + 60_000) / 1000) * 1000);

/**
 * Makes the schedules match the session as it is now: the steps it still has are put (created,
 * or moved), every other step's schedule is deleted. It reads the session, so a call made for a
 * change that another has overtaken still converges, and it may run any number of times. It
 * runs off the request path: from the workflow once a booking is confirmed, and from the table
 * stream after a booking is made, decided, moved or cancelled.
 */
export const syncSessionSchedules = async (sessionId: string, deps: TimelineDeps = defaultTimelineDeps): Promise<PlannedStep[]> => {
  const s = await getSession(sessionId, { consistent: true });
  const now = deps.clock();
  const wanted = s ? stepsToSchedule(s, now) : [];
  await Promise.all(
    TIMELINE_STEPS.map((step) => {
      const name = scheduleName(sessionId, step);
      const planned = wanted.find((p) => p.step === step);
      if (!planned) return deps.scheduler.remove(name);
      const input: TimelineStepInput = { sessionId, ...planned };
      return deps.scheduler.put(name, fireTime(planned.at, now), input);
    }),
  );
  return wanted;
};

const reminderField = (step: TimelineStep) => (step === 'REMIND_DAY' ? 'dayReminderSentFor' : step === 'REMIND' ? 'reminderSentFor' : undefined);

/**
 * What a schedule invokes: runs the step only if the session still plans it for that time
 * (isStepDue), so a schedule left over from an earlier time, or firing twice, does nothing.
 * Says whether it ran.
 */
export const runTimelineStep = async (input: TimelineStepInput, deps: TimelineDeps = defaultTimelineDeps): Promise<{ ran: boolean; status?: Session['status'] }> => {
  const planned: PlannedStep = { step: input.step, at: input.at };
  const now = deps.clock();
  if (planned.step === 'EXPIRE') {
    const { session, expired } = await expireRequest(input.sessionId, deps.clock, (current) => isStepDue(current, planned, now));
    if (!expired) logger.info('Timeline step not due: skipped', { sessionId: input.sessionId, step: planned.step, at: planned.at, status: session?.status });
    return session ? { ran: expired, status: session.status } : { ran: false };
  }
  const field = reminderField(planned.step);
  let reminded: StoredSession | undefined;
  let ran = false;
  const s = await retryOnStale(async () => {
    const current = await getSession(input.sessionId, { consistent: true });
    if (!current) return undefined;
    if (!isStepDue(current, planned, now)) {
      // This very reminder, written by an earlier try that failed before it told anyone: tell them now (the notifier stores and pushes it once).
      if (field && current[field] === current.scheduledAt && isStepDue({ ...current, [field]: null }, planned, now)) reminded = current;
      return current;
    }
    ran = true;
    const at = now.toISOString();
    switch (planned.step) {
      case 'REMIND_DAY':
        reminded = await transitionSession(current, { ...current, dayReminderSentFor: current.scheduledAt });
        return reminded;
      case 'REMIND':
        reminded = await transitionSession(current, { ...current, reminderSentFor: current.scheduledAt });
        return reminded;
      case 'START':
        return transitionSession(current, { ...current, status: transition(current.status, 'START', 'SYSTEM'), updatedAt: at });
      case 'COMPLETE': {
        // A start that never ran (its schedule gave up) does not keep the session open.
        const started = current.status === 'SCHEDULED' ? transition(current.status, 'START', 'SYSTEM') : current.status;
        return transitionSession(current, { ...current, status: transition(started, 'COMPLETE', 'SYSTEM'), updatedAt: at });
      }
      default:
        return current;
    }
  });
  if (!s) return { ran: false };
  if (reminded) {
    // Each reminder once per start time: a rescheduled session is reminded again.
    const lead = planned.step === 'REMIND_DAY' ? '24h' : '15m';
    const occurrence = lead === '24h' ? `24h@${reminded.scheduledAt}` : reminded.scheduledAt;
    await deps.notify({ event: 'SESSION_REMINDER', session: reminded, to: ['student', 'tutor'], occurrence, lead });
  }
  const remind = approvalReminderOf(planned.step);
  if (remind && ran) {
    const deadline = decisionDeadline(s);
    await deps.notify({ event: 'APPROVAL_DEADLINE_APPROACHING', session: s, to: ['tutor'], occurrence: `${remind}@${deadline}`, lead: remind });
  }
  if (!ran) logger.info('Timeline step not due: skipped', { sessionId: input.sessionId, step: planned.step, at: planned.at, status: s.status });
  return { ran, status: s.status };
};
