import { defaultPaymentDeps } from '../../shared/usecases/payments';
import { requestOwedRefund } from '../../shared/usecases/refunds';
import { streamHandler } from '../../shared/streams/handler';

/**
 * A refund just recorded as owed: asked of Paystack, once (shared/usecases/refunds.ts). A
 * failure is thrown, so the record is retried, then dead-lettered; the refund stays OWED,
 * visible to operators (GET /admin/refunds?status=OWED).
 */
export const handler = streamHandler('requestRefunds', async (item) => {
  if (typeof item.reference !== 'string') throw new Error('A refund record without a reference');
  await requestOwedRefund(item.reference, defaultPaymentDeps);
});
