/**
 * Payments: the record of each Paystack transaction and the moves of its status that change no
 * money (opened, failed, a refund owed, an orphan's refund). Crediting the tutor and reversing
 * it move money: ./wallet.ts, apart so that booking, paying and cancelling bundle no wallet.
 */
import { InvalidStateError } from '../domain/errors';
import { PAYMENT_RECORD_STATUSES, type Payment, type PaymentRecordStatus } from '../domain/payment';
import type { Session } from '../domain/session';
import * as z from '../schemas/zod';
import { entity, optionalNullable, sameShape, storedMoney } from './entity';
import { keyText } from './access-text';
import { paymentKey } from './keys';
import { conditional, getItem, put, statusMove, update, updateItem } from './ops';
import { sessionReplacement, StaleSessionError, type SessionInternals, type StoredSession } from './sessions';
import { transactWrite, type TransactItem } from './transact';

/** The payment's own record could not move: it was settled already (a duplicate). */
export class PaymentAlreadySettledError extends InvalidStateError {
  constructor(reference: string) {
    super(`Payment ${reference} was settled already`);
  }
}

const storedPayment = z.object({
  reference: z.string(),
  sessionId: z.string(),
  studentId: z.string(),
  tutorId: z.string(),
  amount: storedMoney,
  status: z.enum(PAYMENT_RECORD_STATUSES),
  authorizationUrl: z.string(),
  accessCode: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  paidAt: optionalNullable(z.string()),
  problem: optionalNullable(z.string()),
  refundRequestedAt: optionalNullable(z.string()),
  refundedAmount: z.optional(z.number()),
  refundedAt: optionalNullable(z.string()),
  orphaned: z.optional(z.boolean()),
});
sameShape<z.output<typeof storedPayment>, Payment>(true);

/** A payment (one Paystack transaction), by our reference. */
export const PaymentEntity = entity({
  type: 'Payment',
  about: 'Payment (one Paystack transaction: `status` PENDING → PAID → REFUND_PENDING → REFUNDED, or FAILED / MISMATCH; `refundedAmount`)',
  key: paymentKey,
  schema: storedPayment,
  keys: (p) => paymentKey(p.reference),
  sample: () => paymentKey('<reference>'),
  accessPatterns: () => [
    { pattern: 'a payment by its reference', key: `${keyText(paymentKey('<reference>'))}, consistent read`, operation: 'GetItem' },
    {
      pattern: 'settle what Paystack refunded, once',
      key: "the payment's Update (`refundedAmount = :before`), a ledger entry `LEDGER#<reference>#REVERSAL#<new total>` (`attribute_not_exists`), the wallet's ADD, and for a full refund the session's Put (`version` condition) and the refund's status",
      operation: 'TransactWriteItems',
    },
  ],
});

export const paymentPut = (p: Payment): TransactItem => put({ Item: PaymentEntity.item(p), ConditionExpression: 'attribute_not_exists(pk)' });

export const getPayment = async (reference: string): Promise<Payment | undefined> => {
  const item = await getItem(PaymentEntity.key(reference), { ConsistentRead: true });
  return item ? PaymentEntity.parse(item) : undefined;
};

/** Opens a payment for a session that exists: the record and the session's reference, together. */
export const attachPayment = async (before: StoredSession, next: Session & Partial<SessionInternals>, payment: Payment): Promise<StoredSession> => {
  const { put, stored } = sessionReplacement(before, next);
  await transactWrite([put, paymentPut(payment)], (failed) => (failed.includes(0) ? new StaleSessionError() : new InvalidStateError('Payment exists')));
  return stored;
};

/** Moves a payment record between statuses it may leave (a conditional write). false if it was not in `from`. */
export const setPaymentStatus = (reference: string, from: PaymentRecordStatus[], to: PaymentRecordStatus, fields: Partial<Payment> = {}): Promise<boolean> =>
  conditional(() => updateItem(statusMove(PaymentEntity.key(reference), from, to, fields).Update));

/**
 * The payment's side of a refund becoming owed: PAID → REFUND_PENDING, only if nothing was
 * refunded since it was read (the amount owed was computed from it).
 */
export const refundOwedUpdate = (payment: Pick<Payment, 'reference' | 'refundedAmount'>, at: string): TransactItem =>
  update({
    Key: PaymentEntity.key(payment.reference),
    UpdateExpression: 'SET #status = :to, refundRequestedAt = :at, updatedAt = :at',
    ConditionExpression: `#status = :paid AND ${refundedIs(payment.refundedAmount ?? 0)}`,
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':to': 'REFUND_PENDING', ':at': at, ':paid': 'PAID', ':refunded': payment.refundedAmount ?? 0 },
  });

/**
 * Money that arrived for a session closed meanwhile: the payment PENDING → REFUND_PENDING,
 * marked orphaned (never credited), with `extra` (the refund owed). false if it was not PENDING.
 */
export const takeOrphanedPayment = async (reference: string, at: string, extra: TransactItem[]): Promise<boolean> => {
  try {
    await transactWrite(
      [
        update({
          Key: PaymentEntity.key(reference),
          UpdateExpression: 'SET #status = :to, orphaned = :yes, paidAt = :at, refundRequestedAt = :at, updatedAt = :at',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':to': 'REFUND_PENDING', ':yes': true, ':at': at, ':pending': 'PENDING' },
        }),
        ...extra,
      ],
      () => new PaymentAlreadySettledError(reference),
    );
    return true;
  } catch (e) {
    if (e instanceof PaymentAlreadySettledError) return false;
    throw e;
  }
};

/** The condition that the payment's refunded total is still `amount` (`:refunded`). */
export const refundedIs = (amount: number) => (amount === 0 ? '(attribute_not_exists(refundedAmount) OR refundedAmount = :refunded)' : 'refundedAmount = :refunded');
