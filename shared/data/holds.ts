/**
 * The 15-minute blocks held on calendars: a tutor's (`pk TUTOR#<id>, sk HOLD#<blockStart>`),
 * for every block an active booking covers with the tutor's buffer, and a Zoom host user's
 * (`ZOOM_HOST#<user>`), for every block a meeting it hosts covers. Both are written only inside
 * bookings' and transitions' transactions (shared/data/sessions.ts) with attribute_not_exists,
 * so the database itself refuses an overlap. The tutor's are read here for the slots listing.
 */
import * as z from '../schemas/zod';
import { entity } from './entity';
import { code, partitionText } from './access-text';
import { HOLD_PREFIX, holdKey, hostHoldKey, tutorPartition } from './keys';
import { queryAll } from './ops';

export const Hold = entity({
  type: 'Hold',
  about: 'Hold (15-minute block)',
  key: holdKey,
  schema: z.object({ tutorId: z.string(), blockStart: z.string(), sessionId: z.string() }),
  keys: (h) => holdKey(h.tutorId, h.blockStart),
  sample: () => holdKey('<id>', '<blockStart>'),
  accessPatterns: () => [
    {
      pattern: "tutor's booked time ranges (the slots listing: from `from` to `to + duration + 120 min`, the largest buffer; read alongside the profile's GetItem)",
      key: `${partitionText(tutorPartition('<id>'))}, sk between ${code(holdKey('<id>', '<from>').sk)} and ${code(holdKey('<id>', '<to>').sk)}`,
      operation: 'Query',
    },
    {
      pattern: 'no overlapping bookings, buffer kept',
      key: "Put `HOLD#<block>` for each 15-minute block of [start, end + the tutor's `bufferMinutes`) with `attribute_not_exists(pk)` in the booking's TransactWriteItems; Delete with `sessionId = :id` on reject, expiry, cancel",
      operation: 'TransactWriteItems',
    },
  ],
});

export const HostHold = entity({
  type: 'HostHold',
  about: 'HostHold (a Zoom host user’s 15-minute block: `sessionId`, `host`)',
  key: hostHoldKey,
  schema: z.object({ host: z.string(), blockStart: z.string(), sessionId: z.string() }),
  keys: (h) => hostHoldKey(h.host, h.blockStart),
  sample: () => ({ pk: hostHoldKey('<zoom user, lower-case>', '').pk, sk: hostHoldKey('', '<blockStart>').sk }),
  accessPatterns: () => [
    {
      pattern: 'no Zoom host has two meetings at once',
      key: "the session's Put (sets `meetingHost`) and Put `ZOOM_HOST#<host>`/`HOLD#<block>` for each 15-minute block of [start, end) with `attribute_not_exists(pk)`, in one TransactWriteItems, tried per pool host in the configured order; moved with the session's blocks on reschedule, deleted (`sessionId = :id`) in the cancelling transaction and by MeetingFallback",
      operation: 'TransactWriteItems',
    },
  ],
});

/**
 * Every block the tutor holds that starts in [from, to] (ISO instants), in one Query (paged
 * by DynamoDB past 1 MB, which 14 days of blocks never reach). Eventually consistent: a
 * listing may lag a booking by a moment; booking itself is decided by the database.
 */
export const listHeldBlocks = async (tutorId: string, from: string, to: string): Promise<Set<string>> => {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': tutorPartition(tutorId), ':from': `${HOLD_PREFIX}${from}`, ':to': `${HOLD_PREFIX}${to}` },
    ProjectionExpression: 'sk',
  });
  return new Set(items.map((item) => String(item.sk).slice(HOLD_PREFIX.length)));
};
