/**
 * Rescheduling a booking (policy in shared/domain/reschedule.ts): one read of the session and
 * its tutor's profile, then one transaction that moves the session and its held blocks, stores
 * the other party's notification (SESSION_RESCHEDULED) and the workflow's callbacks: the
 * execution's payment wait is ended with `BookingRescheduled` when the
 * move changes what it waits for, so it waits again for the new time, also when the session
 * moved earlier, and the timeline's schedules are moved (the table stream does both,
 * functions/streams/startWorkflow.ts); when the session may have a Zoom meeting, the meeting
 * follows through the table stream too (shared/data/meeting-sync.ts). No Zoom on the request path.
 */
import { systemClock, type Clock } from '../domain/clock';
import { InvalidStateError } from '../domain/errors';
import { moverOf, reschedulePlan, type Mover } from '../domain/reschedule';
import { isBooked, type Session } from '../domain/session';
import { moveSession, type StoredSession } from '../data/sessions';
import { getTutorProfile } from '../data/tutors';
import type { Caller } from '../domain/caller';
import { inboxWrites, notify as notifyInbox } from './notify';
import { meetingSyncPuts } from '../data/meeting-sync';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { bookingWorkflow, WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import type { TutorProfile } from '../schemas/tutor';
import { presentSession, retryOnStale, visibleSession } from './session-access';

export interface RescheduleDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
}

export const defaultRescheduleDeps: RescheduleDeps = { clock: systemClock, workflow: bookingWorkflow, notify: notifyInbox };

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

    // Which waits the move changes: the payment wait only if its deadline moved (the approval
    // deadline is the request's EXPIRE schedule, moved with the others). A timeline token is only
    // on a session whose execution began before the timeline ran on schedules.
    const { paymentTaskToken, timelineTaskToken, ...rest } = s;
    const endPayment = Boolean(paymentTaskToken) && (plan.changes.paymentDeadline ?? null) !== (s.paymentDeadline ?? null);
    const next: Session & { paymentTaskToken?: string } = {
      ...rest,
      ...(paymentTaskToken && !endPayment ? { paymentTaskToken } : {}),
      ...plan.changes,
      updatedAt: now.toISOString(),
    };
    const tokens = [endPayment ? paymentTaskToken : undefined, timelineTaskToken].filter((t): t is string => Boolean(t));
    // And the timeline's schedules (reminders, start, end; a request's reminders and expiry) follow the new time.
    const callbacks = [
      ...tokens.map((token) => ({ action: 'fail' as const, token, error: WORKFLOW_ERRORS.rescheduled, cause: `Rescheduled by the ${by.toLowerCase()}` })),
      { action: 'schedules' as const },
    ];
    const version = s.version + 1;
    // Each move is its own event (the version names it), so moving twice tells twice. A booked
    // session is in both calendars: the one who moved it gets the updated invite too (emailed,
    // stored read, not pushed).
    const other = by === 'STUDENT' ? 'tutor' : 'student';
    const self = other === 'tutor' ? 'student' : 'tutor';
    const notice = inboxWrites(
      {
        event: 'SESSION_RESCHEDULED',
        session: next,
        ...(isBooked(next) ? { to: [other, self], seenBy: [self] } : { to: [other] }),
        extra: { previousScheduledAt: s.scheduledAt },
        occurrence: String(version),
      },
      deps.clock,
    );
    const stored = await moveSession(s, next, plan, [
      ...notice,
      ...workflowCallbackPuts(s.id, version, callbacks, now.toISOString()),
      ...meetingSyncPuts(s, version, now.toISOString()),
    ]);
    return { stored, by, previousScheduledAt: s.scheduledAt, tokens, moved: true };
  });

  return presentSession(result.stored);
};
