/** The tutor's counters and wallet, one read each: apart from the session lists (./dashboards.ts), whose entities they do not need. */
import type { Caller } from '../domain/caller';
import { countersAndWallet, walletWithLedger } from '../data/wallet';
import { viewCounts } from '../data/stats';

/** Counts by view, revenue and wallet: one BatchGetItem, whatever the tutor's history. */
export const getTutorStats = async (caller: Caller) => {
  const { stats, wallet } = await countersAndWallet(caller.userId);
  const counts = viewCounts(stats);
  const money = wallet(stats?.currency ?? 'NGN');
  return {
    pendingApprovals: counts.approvals,
    pending: counts.pending,
    active: counts.active,
    completed: counts.completed,
    grossRevenue: money.grossRevenue,
    tutorEarnings: money.tutorEarnings,
    walletBalance: money.balance,
  };
};

/** The tutor's wallet: balance and ledger entries, newest first. */
export const getMyWallet = async (caller: Caller, q: { cursor?: string | undefined; limit: number }) => {
  const page = await walletWithLedger(caller.userId, q.cursor, q.limit, 'NGN');
  return { ...(page.wallet ?? {}), items: page.items, nextCursor: page.nextCursor };
};
