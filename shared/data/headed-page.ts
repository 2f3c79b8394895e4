/**
 * A partition read newest first, whose head item (a wallet, an inbox counter) sorts after its
 * entries and so comes first: one Query gives the head and a page of entries. The head is read
 * on the first page only, which asks one item more for it; later pages start after the cursor.
 */
import { decodeCursor, encodeCursor } from './cursor';
import { query } from './ops';

interface HeadedPageQuery {
  pk: string;
  /** The entries' sort key prefix. */
  prefix: string;
  /** The head item's sort key. */
  headSk: string;
  cursor: string | undefined;
  limit: number;
}

export const headedPage = async (q: HeadedPageQuery) => {
  const start = decodeCursor(q.cursor, { attributes: ['pk', 'sk'], partition: ['pk', q.pk], sortPrefix: ['sk', q.prefix] });
  const out = await query({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': q.pk, ':prefix': q.prefix },
    ScanIndexForward: false,
    ExclusiveStartKey: start,
    Limit: start ? q.limit : q.limit + 1,
  });
  const items = out.Items ?? [];
  return {
    /** Whether this is the first page (the only one that reads the head). */
    first: !start,
    head: items.find((i) => i.sk === q.headSk),
    entries: items.filter((i) => i.sk !== q.headSk),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
};
