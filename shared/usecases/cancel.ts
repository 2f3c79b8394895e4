/**
 * Cancelling a booking (policy in shared/domain/cancellation.ts): our own conditional write
 * first (CANCELLED, slot released), then what follows from it: the workflow is told, a paid
 * booking is refunded per the policy, the Zoom meeting is deleted, the other party is told.
 * None of those follow-ups can undo the cancellation; a failure is logged for operators.
 */
import { sessionHoldBlocks } from '../domain/booking';
import { assertCancellable, refundOnCancel, type RefundDecision } from '../domain/cancellation';
import { transition, type Actor, type Session } from '../domain/session';
import { getPayment } from '../data/payments';
import { transitionSession } from '../data/sessions';
import type { Caller } from '../http/auth';
import { WORKFLOW_ERRORS } from '../integrations/workflow';
import { defaultPaymentDeps, requestRefund, type PaymentDeps } from './payments';
import { deleteSessionMeeting } from './meetings';
import { presentSession, retryOnStale, visibleSession } from './session-access';
import { logger } from '../observability/logger';

export interface CancelDeps extends PaymentDeps {
  /** Deletes the session's video meeting, if it has one (a missing meeting counts as done). */
  deleteMeeting: (session: Session) => Promise<void>;
}

export const defaultCancelDeps: CancelDeps = { ...defaultPaymentDeps, deleteMeeting: (session) => deleteSessionMeeting(session) };

const actorOf = (caller: Caller, s: Session): Actor =>
  s.studentId === caller.userId ? 'STUDENT' : s.tutorId === caller.userId ? 'TUTOR' : 'ADMIN';

export const cancelSession = async (caller: Caller, id: string, reason: string, deps: CancelDeps = defaultCancelDeps) => {
  let refund: RefundDecision = { refund: false };
  let by: Actor = 'ADMIN';
  const { stored, tokens } = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    by = actorOf(caller, s);
    const status = transition(s.status, 'CANCEL', by);
    const now = deps.clock();
    assertCancellable(s, now);
    refund = refundOnCancel(s, by, now);
    const at = now.toISOString();
    // The timeline's token is not used: a paid session's execution is stopped (see below).
    const { approvalTaskToken, paymentTaskToken, timelineTaskToken: _timeline, ...rest } = s;
    const next: Session = { ...rest, status, cancellationReason: reason, cancelledAt: at, cancelledBy: by, updatedAt: at };
    const stored = await transitionSession(s, next, { releaseBlocks: sessionHoldBlocks(s) });
    return { stored, tokens: [approvalTaskToken, paymentTaskToken].filter((t): t is string => Boolean(t)) };
  });

  const followUps: [string, () => Promise<unknown>][] = [
    // A waiting execution ends as Closed; one between waits (or in the timeline) is stopped.
    ['workflow', () => (tokens.length ? Promise.all(tokens.map((t) => deps.workflow.fail(t, WORKFLOW_ERRORS.closed, 'Cancelled'))) : deps.workflow.stop(id, `Cancelled by ${by.toLowerCase()}`))],
    [
      'refund',
      async () => {
        if (!refund.refund || !stored.paymentReference) return;
        const payment = await getPayment(stored.paymentReference);
        if (payment?.status === 'PAID') await requestRefund(payment, deps);
      },
    ],
    ['meeting', () => deps.deleteMeeting(stored)],
  ];
  for (const [what, run] of followUps) {
    try {
      await run();
    } catch (e) {
      logger.error(`Cancellation follow-up failed: ${what}`, { sessionId: id, error: String(e) });
    }
  }
  const actor = by as Actor; // assigned inside the retried closure
  const to: ('student' | 'tutor')[] = actor === 'STUDENT' ? ['tutor'] : actor === 'TUTOR' ? ['student'] : ['student', 'tutor'];
  await deps.notify({ event: 'SESSION_CANCELLED', session: stored, to, extra: { reason } });
  const decided = refund as RefundDecision;
  return { session: presentSession(stored), refund: decided.refund ? { amount: decided.amount, status: 'PENDING' } : null };
};
