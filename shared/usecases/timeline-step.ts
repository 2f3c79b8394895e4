/**
 * What a timeline schedule runs when it fires (functions/timeline/runTimelineStep.ts): a
 * reminder, the start, the end, the tutor's reminder of an unanswered request, or its expiry.
 * The schedules themselves are put and deleted by ./timeline.ts.
 */
import { systemClock, type Clock } from '../domain/clock';
import { transition, type Session } from '../domain/session';
import { approvalReminderOf, decisionDeadline, isStepDue, type PlannedStep, type TimelineStep } from '../domain/timeline';
import { getSession, transitionSession, type StoredSession } from '../data/sessions';
import { notify as notifyInbox } from './notify';
import { expireRequest } from './expiry';
import { retryOnStale } from './stale-retry';
import type { TimelineStepInput } from './timeline';
import { logger } from '../observability/logger';

export interface TimelineStepDeps {
  clock: Clock;
  notify: typeof notifyInbox;
}

export const defaultTimelineStepDeps: TimelineStepDeps = { clock: systemClock, notify: notifyInbox };

const reminderField = (step: TimelineStep) => (step === 'REMIND_DAY' ? 'dayReminderSentFor' : step === 'REMIND' ? 'reminderSentFor' : undefined);

/**
 * What a schedule invokes: runs the step only if the session still plans it for that time
 * (isStepDue), so a schedule left over from an earlier time, or firing twice, does nothing.
 * Says whether it ran.
 */
export const runTimelineStep = async (input: TimelineStepInput, deps: TimelineStepDeps = defaultTimelineStepDeps): Promise<{ ran: boolean; status?: Session['status'] }> => {
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
