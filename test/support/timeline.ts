/**
 * The session timeline's schedules in a test file: the local EventBridge Scheduler
 * (test/support/scheduler.ts) with the timeline's target function in-process, and helpers to
 * read a session's schedules and run them as their times come, in order.
 */
import { localScheduleTargets, type ScheduleTarget } from '../../infra/local/aws/scheduler';
import { TIMELINE_STEPS, type TimelineStep } from '../../shared/domain/timeline';
import { useLocalScheduler, type LocalSchedulerOptions, type SchedulerHarness } from './scheduler';

/** The local stack's targets (the timeline's: functions/timeline/runTimelineStep.ts), by ARN; `wrap` lets a test inject faults. */
export const timelineTargets = (wrap: (fn: ScheduleTarget) => ScheduleTarget = (fn) => fn): (() => Record<string, ScheduleTarget>) => {
  let targets: Record<string, ScheduleTarget> | undefined;
  // Read at the first invocation: the scheduler has set TIMELINE_TARGET_ARN by then.
  return () => (targets ??= localScheduleTargets((_name, fn) => wrap(fn)));
};

export interface ScheduledStep {
  name: string;
  step: TimelineStep;
  /** The at() time (ISO). */
  at: string;
  input: { sessionId: string; step: TimelineStep; at: string };
}

export interface TimelineHarness extends SchedulerHarness {
  /** The session's schedules, in the order of their times. */
  schedulesOf: (sessionId: string) => ScheduledStep[];
  /** Runs the session's schedules one by one, each as its time comes, until none is left. */
  runTimeline: (sessionId: string) => Promise<TimelineStep[]>;
}

const stepOf = (sessionId: string, name: string) => TIMELINE_STEPS.find((s) => name === `${sessionId}-${s}`);

export const useTimeline = (opts: LocalSchedulerOptions = {}): TimelineHarness => {
  const h = useLocalScheduler(opts);
  const schedulesOf = (sessionId: string): ScheduledStep[] =>
    h
      .list(sessionId)
      .filter((v) => stepOf(sessionId, v.name) && v.status !== 'COMPLETED')
      .map((v) => ({ name: v.name, step: stepOf(sessionId, v.name)!, at: v.at, input: JSON.parse(v.input ?? '{}') }))
      .sort((a, b) => a.at.localeCompare(b.at));
  return Object.assign(h, {
    schedulesOf,
    runTimeline: async (sessionId: string) => {
      const ran: TimelineStep[] = [];
      for (let next = schedulesOf(sessionId)[0]; next; next = schedulesOf(sessionId)[0]) {
        // A failed invocation is retried, as Scheduler's retry policy says (here at once).
        let result = await h.fire(next.name);
        for (let retries = 0; result.outcome === 'RETRYING' && retries < 3; retries += 1) result = await h.fire(next.name);
        if (result.outcome !== 'SUCCEEDED') throw new Error(`${next.name}: ${result.outcome} ${JSON.stringify(result)}`);
        ran.push(next.step);
        if (ran.length > 10) throw new Error(`${sessionId}: the timeline never ends`);
      }
      return ran;
    },
  });
};
