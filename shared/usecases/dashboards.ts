/** Dashboards: each view one Query, each stats read one GetItem. */
import { splitRevenue } from '../domain/money';
import type { SessionStatus } from '../domain/session';
import type { StudentView, TutorView } from '../domain/views';
import { listSessionsByStatus, listStudentSessions, queryTutorSessions } from '../data/sessions';
import { viewCounts } from '../data/stats';
import { countersAndWallet, walletWithLedger } from '../data/wallet';
import { listRefundsByStatus } from '../data/refunds';
import type { OwedRefundStatus } from '../domain/refund';
import type { Caller } from '../domain/caller';
import { systemClock, type Clock } from '../domain/clock';
import { presentSession } from './session-access';

interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

export const listMySessions = async (caller: Caller, q: PageQuery & { view: StudentView }, deps: { clock: Clock } = { clock: systemClock }) => {
  const page = await listStudentSessions(caller.userId, q.view, deps.clock(), q.cursor, q.limit);
  return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
};

/** Tutor views; each item carries the tutor's earnings from it (70 % of the price). */
export const listTutorSessions = async (caller: Caller, q: PageQuery & { view: TutorView }) => {
  const page = await queryTutorSessions(caller.userId, q.view, q.cursor, q.limit);
  return {
    items: page.items.map((s) => ({ ...presentSession(s), tutorEarnings: splitRevenue(s.price).tutorShare })),
    nextCursor: page.nextCursor,
  };
};

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
export const getMyWallet = async (caller: Caller, q: PageQuery) => {
  const page = await walletWithLedger(caller.userId, q.cursor, q.limit, 'NGN');
  return { ...(page.wallet ?? {}), items: page.items, nextCursor: page.nextCursor };
};

export const listAdminSessions = async (q: PageQuery & { status: SessionStatus }) => {
  const page = await listSessionsByStatus(q.status, q.cursor, q.limit);
  return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
};

/** The refunds owed in one state, newest first, with how asking Paystack went (`attempts`, `lastError`). */
export const listAdminRefunds = async (q: PageQuery & { status: OwedRefundStatus }) => listRefundsByStatus(q.status, q.cursor, q.limit);
