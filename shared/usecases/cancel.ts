/**
 * Cancelling a booking (policy in shared/domain/cancellation.ts): one conditional write
 * closes the session (CANCELLED, slot released) and, for a paid booking the policy refunds,
 * records the refund owed; with it go what follows the close (./close.ts), each done by the
 * table stream: the workflow's callbacks, the other party's notification, the refund (asked
 * of Paystack by the requestRefunds consumer until Paystack accepts it, ./refunds.ts, so a
 * Paystack outage cannot lose it) and the Zoom meeting's deletion (shared/data/meeting-sync.ts).
 * Nothing but DynamoDB is called on the request path.
 */
import { assertCancellable, refundOnCancel, type RefundDecision } from '../domain/cancellation';
import type { Money } from '../domain/money';
import type { Actor } from '../domain/session';
import { getPayment } from '../data/payments';
import { StaleSessionError, transitionItems } from '../data/sessions';
import { transactWrite, type TransactItem } from '../data/transact';
import type { Caller } from '../domain/caller';
import { defaultPaymentDeps, type PaymentDeps } from './payments';
import { closing, closingCallbacks, closingNotice, type CloseDeps } from './close';
import { meetingSyncPuts } from '../data/meeting-sync';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { owedRefundWrites } from './refunds';
import { presentSession, retryOnStale, visibleSession } from './session-access';

export interface CancelDeps extends PaymentDeps, CloseDeps {}

export const defaultCancelDeps: CancelDeps = defaultPaymentDeps;

const actorOf = (caller: Caller, s: { studentId: string; tutorId: string }): Actor => (s.studentId === caller.userId ? 'STUDENT' : s.tutorId === caller.userId ? 'TUTOR' : 'ADMIN');

export const cancelSession = async (caller: Caller, id: string, reason: string, deps: CancelDeps = defaultCancelDeps) => {
  const { stored, refund } = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    const by = actorOf(caller, s);
    const now = deps.clock();
    assertCancellable(s, now);
    const decision: RefundDecision = refundOnCancel(s, by, now);
    const at = now.toISOString();
    const { next, releaseBlocks, tokens } = closing(s, by, reason, at);
    let owed: { items: TransactItem[]; amount: Money } | undefined;
    if (decision.refund && s.paymentReference) {
      const payment = await getPayment(s.paymentReference);
      if (payment?.status === 'PAID') owed = owedRefundWrites(payment, 'CANCELLED', at);
    }
    // The workflow's callbacks, the other party's notification and the meeting's deletion go
    // with the write: the table stream does them, nothing waits for Step Functions or Zoom here.
    const told = [
      ...closingNotice(next, by, reason, deps.clock),
      ...workflowCallbackPuts(s.id, s.version + 1, closingCallbacks(tokens, by), at),
      ...meetingSyncPuts(s, s.version + 1, at),
    ];
    const { items, stored } = transitionItems(s, next, { releaseBlocks, extra: [...(owed?.items ?? []), ...told] });
    // Any condition failing means something changed since the read: read and decide again.
    await transactWrite(items, () => new StaleSessionError());
    return { stored, refund: owed ? { amount: owed.amount, status: 'PENDING' as const } : null };
  });
  return { session: presentSession(stored), refund };
};
