/**
 * The session's timeline on one-time schedules (shared/integrations/scheduler.ts): its
 * reminders, start and end, and the tutor's reminders of an unanswered request and its expiry
 * at the approval deadline, each a schedule named after the session and the step. What a
 * schedule runs when it fires: ./timeline-step.ts. Both converge however often and in
 * whatever order they run: they read the session as it is now.
 */
import { systemClock, type Clock } from '../domain/clock';
import { stepsToSchedule, TIMELINE_STEPS, type PlannedStep, type TimelineStep } from '../domain/timeline';
import { getSession } from '../data/sessions';
import { timelineScheduler, type TimelineScheduler } from '../integrations/scheduler';

export interface TimelineDeps {
  clock: Clock;
  scheduler: TimelineScheduler;
}

export const defaultTimelineDeps: TimelineDeps = { clock: systemClock, scheduler: timelineScheduler };

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
