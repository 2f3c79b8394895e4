import type { QueryClient } from '@tanstack/react-query';
import { keys } from './keys';

/**
 * Everything a change to one session can move: the session itself, the lists it sits in, the
 * counters and money around it, and the tutor's free slots.
 */
export const invalidateSession = (qc: QueryClient, sessionId: string | null): Promise<unknown> =>
  Promise.all([
    sessionId ? qc.invalidateQueries({ queryKey: keys.session(sessionId) }) : null,
    qc.invalidateQueries({ queryKey: keys.mySessions() }),
    qc.invalidateQueries({ queryKey: keys.tutorSessions() }),
    qc.invalidateQueries({ queryKey: keys.tutorStats }),
    qc.invalidateQueries({ queryKey: keys.adminSessions() }),
    qc.invalidateQueries({ queryKey: keys.wallet }),
    qc.invalidateQueries({ queryKey: keys.allSlots }),
  ]);

/** Everything a withdrawal moves: the balances (available, pending), the history, and the account it may hold. */
export const invalidateWithdrawals = (qc: QueryClient): Promise<unknown> =>
  Promise.all([
    qc.invalidateQueries({ queryKey: keys.wallet }),
    qc.invalidateQueries({ queryKey: keys.withdrawals }),
    qc.invalidateQueries({ queryKey: keys.tutorStats }),
    qc.invalidateQueries({ queryKey: keys.payoutAccount }),
  ]);
