/** The refunds we owe, listed for operators (asking Paystack for them is ./refunds.ts, a stream consumer's). */
import { listRefundsByStatus } from '../data/refunds';
import type { OwedRefundStatus } from '../domain/refund';

interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

/** The refunds owed in one state, newest first, with how asking Paystack went (`attempts`, `lastError`). */
export const listAdminRefunds = async (q: PageQuery & { status: OwedRefundStatus }) => listRefundsByStatus(q.status, q.cursor, q.limit);
