/** Dashboards: the session lists, each view one Query (the tutor's counts and wallet are ./wallet.ts). */
import { splitRevenue } from '../domain/money';
import type { SessionStatus } from '../domain/session';
import type { StudentView, TutorView } from '../domain/views';
import { listSessionsByStatus, listStudentSessions, queryTutorSessions } from '../data/sessions';
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

export const listAdminSessions = async (q: PageQuery & { status: SessionStatus }) => {
  const page = await listSessionsByStatus(q.status, q.cursor, q.limit);
  return { items: page.items.map(presentSession), nextCursor: page.nextCursor };
};
