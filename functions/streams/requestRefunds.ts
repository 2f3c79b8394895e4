import { streamHandler } from '../../shared/streams/handler';
import { followUpWithVendors } from '../../shared/usecases/vendor-follow-ups';

/**
 * The vendors' calls that changes leave to the table stream: Paystack's outbound money
 * (refunds owed, withdrawals' transfers) and the Zoom meeting a move or a cancel left to follow.
 */
export const handler = streamHandler('requestRefunds', (item, record) => followUpWithVendors(item, record.eventName));
