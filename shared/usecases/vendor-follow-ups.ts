/**
 * What the requestRefunds consumer does with a record: a meeting sync a move or a cancel left
 * (shared/data/meeting-sync.ts) puts the session's Zoom meeting where the session is
 * (./meetings.ts); every other record is Paystack's outbound money (./outbound-money.ts).
 * A failure is thrown, so the record is retried, then dead-lettered (its alarm).
 */
import { MEETING_SYNC_TYPE } from '../data/meeting-sync';
import { sessionId } from '../schemas/session-id';
import * as z from '../schemas/zod';
import { syncSessionMeeting } from './meetings';
import { moveOutboundMoney } from './outbound-money';

const meetingSync = z.object({ sessionId });

export const followUpWithVendors = (item: Record<string, unknown>, eventName: string | undefined): Promise<void> =>
  item.type === MEETING_SYNC_TYPE ? syncSessionMeeting(meetingSync.parse(item).sessionId) : moveOutboundMoney(item, eventName);
