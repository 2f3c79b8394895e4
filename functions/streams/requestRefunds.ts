import { streamHandler } from '../../shared/streams/handler';
import { moveOutboundMoney } from '../../shared/usecases/outbound-money';

/** Paystack's outbound money (refunds owed, withdrawals' transfers), from the table stream. */
export const handler = streamHandler('requestRefunds', (item, record) => moveOutboundMoney(item, record.eventName));
