/**
 * A tutor's dashboard counters, one item per tutor, changed in the same transaction as
 * every session transition. `GET /tutor/stats` is then one GetItem, however many sessions
 * the tutor has had.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../config';
import type { Currency, Money } from '../domain/money';
import type { Session } from '../domain/session';
import { tutorBucket, TUTOR_VIEWS, type TutorView } from '../domain/views';
import { ddb } from './client';
import { tutorStatsKey } from './keys';

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
  const values: Record<string, unknown> = { ':type': 'TutorStats', ':currency': currency };
  const adds = entries.map(([view, n], i) => {
    names[`#c${i}`] = view;
    values[`:c${i}`] = n;
    return `#c${i} :c${i}`;
  });
  return {
    Update: {
      TableName: config().tableName,
      Key: tutorStatsKey(tutorId),
      UpdateExpression: `SET #type = :type, #currency = if_not_exists(#currency, :currency)${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

export interface TutorStats {
  pendingApprovals: number;
  pending: number;
  active: number;
  completed: number;
  grossRevenue: Money;
  tutorEarnings: Money;
  walletBalance: Money;
}

export const getTutorStats = async (tutorId: string, fallbackCurrency: Currency): Promise<TutorStats> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: tutorStatsKey(tutorId) }));
  const n = (k: string) => (typeof Item?.[k] === 'number' ? (Item[k] as number) : 0);
  const currency = (Item?.currency as Currency | undefined) ?? fallbackCurrency;
  const money = (k: string): Money => ({ amount: n(k), currency });
  const counts = Object.fromEntries(TUTOR_VIEWS.map((v) => [v, n(v)])) as Record<TutorView, number>;
  return {
    pendingApprovals: counts.approvals,
    pending: counts.pending,
    active: counts.active,
    completed: counts.completed,
    grossRevenue: money('grossRevenue'),
    tutorEarnings: money('tutorEarnings'),
    walletBalance: money('walletBalance'),
  };
};
