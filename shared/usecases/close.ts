/**
 * Closing a booked session: the closing write (CANCELLED, why, by whom, its calendar blocks
 * freed) and what follows from it: the workflow is ended, the Zoom meeting deleted, the
 * parties told. A cancel closes a session, and so does a refund Paystack made in full (a
 * session nobody paid for must not stay booked).
 */
import { sessionHoldBlocks } from '../domain/booking';
import type { Clock } from '../domain/clock';
import { transition, type Actor, type Session } from '../domain/session';
import type { StoredSession } from '../data/sessions';
import type { notify as notifyInbox } from './notify';
import { WORKFLOW_ERRORS, type BookingWorkflow } from '../integrations/workflow';
import { logger } from '../observability/logger';

export interface CloseDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
  /** Deletes the session's video meeting, if it has one (a missing meeting counts as done). */
  deleteMeeting: (session: Session) => Promise<void>;
}

/** The session as closing leaves it, the blocks to free with it, and the workflow waits to end. */
export const closing = (s: StoredSession, by: Actor, reason: string, at: string) => {
  // The timeline's token is not used: an execution past its waits for a decision or a payment is stopped.
  const { approvalTaskToken, paymentTaskToken, timelineTaskToken: _timeline, ...rest } = s;
  const next: Session = { ...rest, status: transition(s.status, 'CANCEL', by), cancellationReason: reason, cancelledAt: at, cancelledBy: by, updatedAt: at };
  return { next, releaseBlocks: sessionHoldBlocks(s), tokens: [approvalTaskToken, paymentTaskToken].filter((t): t is string => Boolean(t)) };
};

/**
 * What follows the closing write, one after the other; none can undo it, a failure is logged
 * for operators. The party who closed it is not told; when the system did, both are.
 */
export const afterClosing = async (closed: Session, tokens: string[], by: Actor, reason: string, deps: CloseDeps): Promise<void> => {
  const followUps: [string, () => Promise<unknown>][] = [
    // A waiting execution ends as Closed; one between waits (or in the timeline) is stopped.
    [
      'workflow',
      () =>
        tokens.length
          ? Promise.all(tokens.map((t) => deps.workflow.fail(t, WORKFLOW_ERRORS.closed, 'Cancelled')))
          : deps.workflow.stop(closed.id, `Cancelled by ${by.toLowerCase()}`),
    ],
    ['meeting', () => deps.deleteMeeting(closed)],
  ];
  for (const [what, run] of followUps) {
    try {
      await run();
    } catch (e) {
      logger.error(`Cancellation follow-up failed: ${what}`, { sessionId: closed.id, error: String(e) });
    }
  }
  const to: ('student' | 'tutor')[] = by === 'STUDENT' ? ['tutor'] : by === 'TUTOR' ? ['student'] : ['student', 'tutor'];
  await deps.notify({ event: 'SESSION_CANCELLED', session: closed, to, extra: { reason } });
};
