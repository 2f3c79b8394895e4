/**
 * The tutor's held blocks (`pk TUTOR#<id>, sk HOLD#<blockStart>`), read as a set of block
 * starts: the "tutor's booked time ranges" access pattern. Written only inside bookings' and
 * transitions' transactions (shared/data/sessions.ts); read here for the slots listing.
 */
import { paginateQuery } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import { ddb } from './client';
import { HOLD_PREFIX, tutorPartition } from './keys';

/**
 * Every block the tutor holds that starts in [from, to] (ISO instants), in one Query (paged
 * by DynamoDB past 1 MB, which 14 days of blocks never reach). Eventually consistent: a
 * listing may lag a booking by a moment; booking itself is decided by the database.
 */
export const listHeldBlocks = async (tutorId: string, from: string, to: string): Promise<Set<string>> => {
  const held = new Set<string>();
  const pages = paginateQuery(
    { client: ddb },
    {
      TableName: config().tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': tutorPartition(tutorId), ':from': `${HOLD_PREFIX}${from}`, ':to': `${HOLD_PREFIX}${to}` },
      ProjectionExpression: 'sk',
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) held.add(String(item.sk).slice(HOLD_PREFIX.length));
  return held;
};
