/**
 * Rescheduling a booking (policy in shared/domain/reschedule.ts): our own conditional write
 * first, one transaction that moves the session and its held blocks; then what follows from
 * it, none of which can undo the move (a failure is logged for operators):
 * - the workflow's current wait (approval, payment or timeline) is ended with
 *   `BookingRescheduled` when the move changes what it waits for, so it waits again for the
 *   new time, also when the session moved earlier;
 * - the Zoom meeting, if the session has one, is moved;
 * - the other party is told (SESSION_RESCHEDULED).
 */
import { systemClock, type Clock } from '../domain/clock';
import { InvalidStateError } from '../domain/errors';
import { moverOf, reschedulePlan, type Mover } from '../domain/reschedule';
import type { Session } from '../domain/session';
import { moveSession, type StoredSession } from '../data/sessions';
import { getTutorProfile } from '../data/tutors';
import type { Caller } from '../domain/caller';
import { notify as notifyInbox } from './notify';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { zoom as zoomClient, type ZoomClient } from '../integrations/zoom';
import type { TutorProfile } from '../schemas/tutor';
import { toZoomTime } from '../schemas/zoom';
import { presentSession, retryOnStale, visibleSession } from './session-access';
import { logger } from '../observability/logger';

export interface RescheduleDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
  zoom: Pick<ZoomClient, 'updateMeeting'>;
}

export const defaultRescheduleDeps: RescheduleDeps = { clock: systemClock, workflow: bookingWorkflow, notify: notifyInbox, zoom: zoomClient };

interface Moved {
  stored: StoredSession;
  by: Mover;
  previousScheduledAt: string;
  /** The workflow waits the move ends (tokens taken off the session in the same write). */
  tokens: string[];
  moved: boolean;
}

export const rescheduleSession = async (caller: Caller, id: string, scheduledAt: Date, deps: RescheduleDeps = defaultRescheduleDeps) => {
  let tutor: TutorProfile | undefined;
  const result: Moved = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    const by = moverOf(caller.userId, s);
    tutor ??= await getTutorProfile(s.tutorId);
    if (!tutor) throw new InvalidStateError("The tutor's profile no longer exists");
    const now = deps.clock();
    const plan = reschedulePlan(s, tutor, scheduledAt, now);
    if (plan.unchanged) return { stored: s, by, previousScheduledAt: s.scheduledAt, tokens: [], moved: false };

    // Which waits the move changes: the approval or payment wait only if its deadline moved,
    // the timeline always (its steps follow the start).
    const { approvalTaskToken, paymentTaskToken, timelineTaskToken, ...rest } = s;
    const endApproval = Boolean(approvalTaskToken) && plan.changes.approvalDeadline !== s.approvalDeadline;
    const endPayment = Boolean(paymentTaskToken) && (plan.changes.paymentDeadline ?? null) !== (s.paymentDeadline ?? null);
    const next: Session & { approvalTaskToken?: string; paymentTaskToken?: string } = {
      ...rest,
      ...(approvalTaskToken && !endApproval ? { approvalTaskToken } : {}),
      ...(paymentTaskToken && !endPayment ? { paymentTaskToken } : {}),
      ...plan.changes,
      updatedAt: now.toISOString(),
    };
    const stored = await moveSession(s, next, plan);
    const tokens = [endApproval ? approvalTaskToken : undefined, endPayment ? paymentTaskToken : undefined, timelineTaskToken].filter((t): t is string => Boolean(t));
    return { stored, by, previousScheduledAt: s.scheduledAt, tokens, moved: true };
  });

  const { stored, by, previousScheduledAt, tokens, moved } = result;
  if (!moved) return presentSession(stored);

  const followUps: [string, () => Promise<unknown>][] = [
    ['workflow', () => Promise.all(tokens.map((t) => deps.workflow.fail(t, WORKFLOW_ERRORS.rescheduled, `Rescheduled by the ${by.toLowerCase()}`)))],
    [
      'meeting',
      async () => {
        if (!stored.meetingId) return;
        await deps.zoom.updateMeeting(stored.meetingId, { start_time: toZoomTime(stored.scheduledAt), duration: stored.durationMinutes, timezone: 'UTC' });
      },
    ],
  ];
  for (const [what, run] of followUps) {
    try {
      await run();
    } catch (e) {
      logger.error(`Reschedule follow-up failed: ${what}`, { sessionId: id, error: String(e) });
    }
  }
  // Each move is its own event (the version names it), so moving twice tells twice.
  await deps.notify({
    event: 'SESSION_RESCHEDULED',
    session: stored,
    to: [by === 'STUDENT' ? 'tutor' : 'student'],
    extra: { previousScheduledAt },
    occurrence: String(stored.version),
  });
  return presentSession(stored);
};
