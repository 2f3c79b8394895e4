/** Dashboards: each view one Query, each stats read one GetItem. */
import { splitRevenue } from '../domain/money';
import type { SessionStatus } from '../domain/session';
import type { StudentView, TutorView } from '../domain/views';
import { listSessionsByStatus, listStudentSessions, listTutorSessions } from '../data/sessions';
import { getTutorStats } from '../data/stats';
import type { Caller } from '../http/auth';
import { defaultDeps, presentSession, type Deps } from './sessions';

interface PageQuery {
  cursor?: string | undefined;
  limit: number;
}

export const studentDashboard = async (caller: Caller, q: PageQuery & { view: StudentView }, deps: Deps = defaultDeps) => {
  const page = await listStudentSessions(caller.userId, q.view, deps.clock(), q.cursor, q.limit);
  return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
};

/** Tutor views; each item carries the tutor's earnings from it (70 % of the price). */
export const tutorDashboard = async (caller: Caller, q: PageQuery & { view: TutorView }) => {
  const page = await listTutorSessions(caller.userId, q.view, q.cursor, q.limit);
  return {
    items: page.items.map((s) => ({ ...presentSession(s), tutorEarnings: splitRevenue(s.price).tutorShare })),
    nextCursor: page.nextCursor,
  };
};

export const tutorStats = (caller: Caller) => getTutorStats(caller.userId, 'NGN');

export const adminSessions = async (q: PageQuery & { status: SessionStatus }) => {
  const page = await listSessionsByStatus(q.status, q.cursor, q.limit);
  return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
};
