/**
 * The refunds we owe (shared/domain/refund.ts): recorded inside the transaction that makes
 * one owed, moved between statuses with conditional writes, listed by status for operators.
 */
import { OWED_REFUND_STATUSES, type OwedRefund, type OwedRefundStatus } from '../domain/refund';
import * as z from '../schemas/zod';
import { decodeCursor, encodeCursor, type Page } from './cursor';
import { entity, optionalNullable, sameShape, storedMoney } from './entity';
import { indexText, keyText } from './access-text';
import { refundKey, refundStatusIndex, refundStatusPartition } from './keys';
import { conditional, getItem, put, query, statusMove, updateItem } from './ops';
import type { TransactItem } from './transact';

const storedRefund = z.object({
  reference: z.string(),
  sessionId: z.string(),
  studentId: z.string(),
  tutorId: z.string(),
  amount: storedMoney,
  reason: z.enum(['CANCELLED', 'PAID_AFTER_CLOSE']),
  status: z.enum(OWED_REFUND_STATUSES),
  attempts: z.number(),
  lastError: z.nullable(z.string()),
  lastAttemptAt: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  requestedAt: optionalNullable(z.string()),
  paystackRefundId: optionalNullable(z.number()),
  refundedAt: optionalNullable(z.string()),
});
sameShape<z.output<typeof storedRefund>, OwedRefund>(true);

/** The refund we owe for a payment, next to the payment (one per payment), filed by status on gsi3. */
export const RefundEntity = entity({
  type: 'Refund',
  about: 'Refund (a refund owed for a payment: `status` OWED → REQUESTED → REFUNDED, `attempts`, `lastError`)',
  key: refundKey,
  schema: storedRefund,
  keys: (r) => ({ ...refundKey(r.reference), ...refundStatusIndex(r.status, r.createdAt, r.reference) }),
  sample: () => ({ ...refundKey('<reference>'), ...refundStatusIndex('<status>', '<createdAt>', '<reference>') }),
  accessPatterns: () => [
    { pattern: 'refunds owed by status (admin)', key: indexText('gsi3', refundStatusPartition('<status>')), operation: 'Query ↓' },
    {
      pattern: 'a refund owed, recorded once with what makes it owed',
      key: `Put ${keyText(refundKey('<reference>'))} with \`attribute_not_exists(pk)\`, with the session's cancel (or the late payment's record) and the payment's \`PAID → REFUND_PENDING\` (\`refundedAmount\` unchanged)`,
      operation: 'TransactWriteItems',
    },
    {
      pattern: 'a refund owed is asked of Paystack',
      key: "the table's stream, consumer `requestRefunds` (`INSERT` of `type = Refund, sk = REFUND, status = OWED`; later changes of the record do not ask again)",
      operation: 'DynamoDB Streams',
    },
  ],
});

/** The refund, recorded once (a second one for the same payment fails the transaction). */
export const owedRefundPut = (r: OwedRefund): TransactItem => put({ Item: RefundEntity.item(r), ConditionExpression: 'attribute_not_exists(pk)' });

export const getRefund = async (reference: string): Promise<OwedRefund | undefined> => {
  const item = await getItem(RefundEntity.key(reference), { ConsistentRead: true });
  return item ? RefundEntity.parse(item) : undefined;
};

/** The update that moves a refund from `from` to `to` (refiled under its new status), with `fields`. */
export const refundStatusUpdate = (r: Pick<OwedRefund, 'reference' | 'createdAt'>, from: OwedRefundStatus[], to: OwedRefundStatus, fields: Partial<OwedRefund>) =>
  statusMove(RefundEntity.key(r.reference), from, to, { ...fields, ...refundStatusIndex(to, r.createdAt, r.reference) });

/** Moves a refund between statuses; false if it was not in `from`. */
export const setRefundStatus = (r: Pick<OwedRefund, 'reference' | 'createdAt'>, from: OwedRefundStatus[], to: OwedRefundStatus, fields: Partial<OwedRefund>) =>
  conditional(() => updateItem(refundStatusUpdate(r, from, to, fields).Update));

/** Refunds in one status, newest first: one Query on gsi3. */
export const listRefundsByStatus = async (status: OwedRefundStatus, cursor: string | undefined, limit: number): Promise<Page<OwedRefund>> => {
  const partition = refundStatusPartition(status);
  const start = decodeCursor(cursor, { attributes: ['pk', 'sk', 'gsi3pk', 'gsi3sk'], partition: ['gsi3pk', partition] });
  const out = await query({
    IndexName: 'gsi3',
    KeyConditionExpression: 'gsi3pk = :p',
    ExpressionAttributeValues: { ':p': partition },
    ScanIndexForward: false,
    ExclusiveStartKey: start,
    Limit: limit,
  });
  return { items: (out.Items ?? []).map(RefundEntity.parse), nextCursor: encodeCursor(out.LastEvaluatedKey) };
};
