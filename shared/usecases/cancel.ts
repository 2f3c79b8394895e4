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
import type { Payment } from '../domain/payment';
import type { Actor } from '../domain/session';
import { getPayment } from '../data/payments';
import { StaleSessionError, transitionItems } from '../data/sessions';
import { transactWrite, type TransactItem } from '../data/transact';
import type { Caller } from '../domain/caller';
import { systemClock, type Clock } from '../domain/clock';
import { closing, closingCallbacks, closingNotice } from './close';
import { meetingSyncPuts } from '../data/meeting-sync';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { owedRefundWrites, paidAsBooked } from './owed-refunds';
import { presentSession, visibleSession } from './session-access';
import { retryOnStale } from './stale-retry';

/** Only the clock: everything the cancel sets off is stored with its write, for the table stream. */
export interface CancelDeps {
  clock: Clock;
}

export const defaultCancelDeps: CancelDeps = { clock: systemClock };

const actorOf = (caller: Caller, s: { studentId: string; tutorId: string }): Actor => (s.studentId === caller.userId ? 'STUDENT' : s.tutorId === caller.userId ? 'TUTOR' : 'ADMIN');

export const cancelSession = async (caller: Caller, id: string, reason: string, deps: CancelDeps = defaultCancelDeps) => {
  // The payment is read only once the session's own account of it proved wrong (paidAsBooked).
  let read: { payment: Payment | undefined } | undefined;
  const { stored, refund } = await retryOnStale(async () => {
    const s = await visibleSession(caller, id);
    const by = actorOf(caller, s);
    const now = deps.clock();
    assertCancellable(s, now);
    const decision: RefundDecision = refundOnCancel(s, by, now);
    const at = now.toISOString();
    const { next, releaseBlocks, tokens } = closing(s, by, reason, at);
    let owed: { items: TransactItem[]; amount: Money } | undefined;
    const guess = read ? undefined : paidAsBooked(s);
    if (decision.refund && s.paymentReference) {
      if (guess) owed = owedRefundWrites(guess, 'CANCELLED', at);
      else {
        read ??= { payment: await getPayment(s.paymentReference) };
        if (read.payment?.status === 'PAID') owed = owedRefundWrites(read.payment, 'CANCELLED', at);
      }
    }
    // The workflow's callbacks, the other party's notification and the meeting's deletion go
    // with the write: the table stream does them, nothing waits for Step Functions or Zoom here.
    const told = [
      ...closingNotice(next, by, reason, deps.clock),
      ...workflowCallbackPuts(s.id, s.version + 1, closingCallbacks(tokens, by), at),
      ...meetingSyncPuts(s, s.version + 1, at),
    ];
    const { items, stored } = transitionItems(s, next, { releaseBlocks, extra: [...(owed?.items ?? []), ...told] });
    const refundAt = guess && owed ? owed.items.map((i) => items.indexOf(i)) : [];
    // Any condition failing means something changed since the read: read and decide again; the
    // payment too, when it was not as booked (refunded in part meanwhile, or being refunded).
    let paymentChanged = false;
    await transactWrite(items, (failed) => {
      paymentChanged = failed.some((i) => refundAt.includes(i));
      return new StaleSessionError();
    }).catch(async (e: unknown) => {
      if (paymentChanged) read = { payment: await getPayment(s.paymentReference!) };
      throw e;
    });
    return { stored, refund: owed ? { amount: owed.amount, status: 'PENDING' as const } : null };
  });
  return { session: presentSession(stored), refund };
};
