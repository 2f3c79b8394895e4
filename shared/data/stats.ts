/**
 * A tutor's dashboard counters, one item per tutor, changed in the same transaction as
 * every session transition. `GET /tutor/stats` is then one GetItem, however many sessions
 * the tutor has had.
 */
import { CURRENCIES, type Currency } from '../domain/money';
import type { Session } from '../domain/session';
import { tutorBucket, TUTOR_VIEWS, type TutorView } from '../domain/views';
import * as z from '../schemas/zod';
import { entity } from './entity';
import { keyText } from './access-text';
import { tutorStatsKey } from './keys';
import { update } from './ops';

/** The counters of the views a session is counted in (`closed` is not counted), and the currency of the tutor's money. */
export const TutorStats = entity({
  type: 'TutorStats',
  about: 'TutorStats (counters)',
  key: tutorStatsKey,
  schema: z.object({
    currency: z.optional(z.enum(CURRENCIES)),
    approvals: z.optional(z.number()),
    pending: z.optional(z.number()),
    active: z.optional(z.number()),
    completed: z.optional(z.number()),
  }),
  sample: () => tutorStatsKey('<id>'),
  accessPatterns: () => [{ pattern: 'tutor: dashboard counts', key: `${keyText(tutorStatsKey('<id>'))} (changed in every transition's transaction)`, operation: 'GetItem' }],
});
export type TutorStatsItem = z.output<typeof TutorStats.schema>;

export type StatsDelta = Partial<Record<TutorView, number>>;

/** How the tutor's view counts change when a session goes from `before` to `after`. */
export const statsDelta = (before: Pick<Session, 'status'> | undefined, after: Pick<Session, 'status'>): StatsDelta => {
  const delta: StatsDelta = {};
  const from = before ? tutorBucket(before) : undefined;
  const to = tutorBucket(after);
  if (from === to) return delta;
  if (from && from !== 'closed') delta[from] = -1;
  if (to !== 'closed') delta[to] = (delta[to] ?? 0) + 1;
  return delta;
};

export const statsUpdate = (tutorId: string, delta: StatsDelta, currency: Currency) => {
  const entries = Object.entries(delta);
  const names: Record<string, string> = { '#type': 'type', '#currency': 'currency' };
  const values: Record<string, unknown> = { ':type': TutorStats.type, ':currency': currency };
  const adds = entries.map(([view, n], i) => {
    names[`#c${i}`] = view;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return update({
    Key: TutorStats.key(tutorId),
    UpdateExpression: `SET #type = :type, #currency = if_not_exists(#currency, :currency)${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  });
};

/** The view counts from the stats item (absent: all zero). */
export const viewCounts = (stats: TutorStatsItem | undefined): Record<TutorView, number> =>
  Object.fromEntries(TUTOR_VIEWS.map((v) => [v, stats?.[v] ?? 0])) as Record<TutorView, number>;
