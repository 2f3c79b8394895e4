/**
 * Closing a booked session: the closing write (CANCELLED, why, by whom, its calendar blocks
 * freed) and what follows from it: the workflow is ended, the parties told (the Zoom meeting is
 * deleted by the table stream, from a meeting sync written with the close). A cancel closes a
 * session, and so does a refund Paystack made in full (a session nobody paid for must not stay booked).
 */
import { sessionHoldBlocks } from '../domain/booking';
import type { Clock } from '../domain/clock';
import { isBooked, transition, type Actor, type Session } from '../domain/session';
import type { StoredSession } from '../data/sessions';
import { inboxWrites, type notify as notifyInbox, type NotifyRequest } from './notify';
import type { WorkflowCallback } from '../data/workflow-callbacks';
import type { TransactItem } from '../data/transact';
import type { BookingWorkflow } from '../integrations/workflow';
import { WORKFLOW_OUTCOMES } from '../workflow/definition';
import { logger } from '../observability/logger';

export interface CloseDeps {
  clock: Clock;
  workflow: BookingWorkflow;
  notify: typeof notifyInbox;
}

/** The session as closing leaves it, the blocks to free with it, and the workflow waits to end. */
export const closing = (s: StoredSession, by: Actor, reason: string, at: string) => {
  // The timeline's token is not used: an execution past its waits for a decision or a payment is stopped.
  const { approvalTaskToken, paymentTaskToken, timelineTaskToken: _timeline, ...rest } = s;
  const next: Session = { ...rest, status: transition(s.status, 'CANCEL', by), cancellationReason: reason, cancelledAt: at, cancelledBy: by, updatedAt: at };
  return { next, releaseBlocks: sessionHoldBlocks(s), tokens: [approvalTaskToken, paymentTaskToken].filter((t): t is string => Boolean(t)) };
};

/**
 * Who is told of a close: the other party; both when the system closed it. A booked session is
 * in both calendars, so the one who cancelled it gets the cancelled invite too (emailed,
 * stored read, not pushed); an unpaid one was never in a calendar.
 */
const closingAudience = (closed: Session, by: Actor): Pick<NotifyRequest, 'to' | 'seenBy'> => {
  const self = by === 'STUDENT' ? 'student' : by === 'TUTOR' ? 'tutor' : undefined;
  if (!self) return { to: ['student', 'tutor'] };
  const other = self === 'student' ? 'tutor' : 'student';
  return isBooked(closed) ? { to: [other, self], seenBy: [self] } : { to: [other] };
};

/**
 * What the closing write tells the workflow (to store in the same transaction, sent by the
 * table stream): a waiting execution ends as Closed; one between waits (or in the timeline) is stopped.
 */
export const closingCallbacks = (tokens: string[], by: Actor): WorkflowCallback[] => [
  ...(tokens.length
    ? tokens.map((token): WorkflowCallback => ({ action: 'fail', token, error: WORKFLOW_OUTCOMES.closed, cause: 'Cancelled' }))
    : [{ action: 'stop' as const, cause: `Cancelled by ${by.toLowerCase()}` }]),
  // The timeline's schedules are deleted (a schedule that fires first finds the session closed and does nothing).
  { action: 'schedules' },
];

/** The notification of a close, as transaction items (stored with the closing write). */
export const closingNotice = (closed: Session, by: Actor, reason: string, clock: Clock): TransactItem[] =>
  inboxWrites({ event: 'SESSION_CANCELLED', session: closed, ...closingAudience(closed, by), extra: { reason } }, clock);

/** Outside a transaction (a close found by a refund), the schedules are left to find the session closed when they fire. */
const sendClosingCallback = async (closed: Session, c: WorkflowCallback, deps: CloseDeps): Promise<void> => {
  if (c.action === 'stop') return deps.workflow.stop(closed.id, c.cause);
  if (c.action === 'fail') return deps.workflow.fail(c.token, c.error, c.cause);
  if (c.action === 'succeed') return deps.workflow.succeed(c.token, c.output);
};

/**
 * What follows a closing write that stored neither callbacks nor notice (a close Paystack's
 * full refund made): the workflow ended, whose failure cannot undo the close and is logged for
 * operators, then the parties told (closingAudience). (A cancel stores all of it with its
 * write, and the table stream does it: shared/usecases/cancel.ts.)
 */
export const afterClosing = async (closed: Session, tokens: string[], by: Actor, reason: string, deps: CloseDeps): Promise<void> => {
  try {
    await Promise.all(closingCallbacks(tokens, by).map((c) => sendClosingCallback(closed, c, deps)));
  } catch (e) {
    logger.error('Cancellation follow-up failed: workflow', { sessionId: closed.id, error: String(e) });
  }
  await deps.notify({ event: 'SESSION_CANCELLED', session: closed, ...closingAudience(closed, by), extra: { reason } });
};
