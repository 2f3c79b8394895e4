/**
 * The tutor's decision on a request: approve or reject (./sessions.ts books, ./session-page.ts
 * reads). Each reads once and writes in one transaction; the workflow waiting for the decision
 * is resumed by the table stream from the callback stored in that transaction.
 */
import { sessionHoldBlocks } from '../domain/booking';
import { systemClock, type Clock } from '../domain/clock';
import { ForbiddenError } from '../domain/errors';
import { assertBeforeDeadline, transition, type Session } from '../domain/session';
import { transitionSession, type StoredSession } from '../data/sessions';
import type { Caller } from '../domain/caller';
// The outcome's name only: the stream sends the callback, so the route loads no Step Functions client.
import { WORKFLOW_OUTCOMES } from '../workflow/definition';
import { workflowCallbackPuts } from '../data/workflow-callbacks';
import { inboxWrites } from './notify';
import { presentSession, visibleSession } from './session-access';
import { retryOnStale } from './stale-retry';
import { count } from '../observability/metrics';

export interface DecisionDeps {
  clock: Clock;
}

export const defaultDecisionDeps: DecisionDeps = { clock: systemClock };

const asTutorOf = async (caller: Caller, id: string): Promise<StoredSession> => {
  const s = await visibleSession(caller, id);
  if (s.tutorId !== caller.userId) throw new ForbiddenError("Only the session's tutor can decide on it");
  return s;
};

/**
 * The tutor's decision: one read, one transaction, no other call. The transaction replaces the
 * session (only if nobody changed it since it was read), stores the student's notification
 * and, when the workflow waits for the decision with a task token on the item we replace, the
 * callback that resumes it: the table stream sends that (functions/streams/startWorkflow.ts).
 * A token stored a moment before our write is never missed; one stored after it finds the
 * session decided, and its step moves on by itself. The student hears of the decision even if
 * the workflow cannot be told at once, and never of a decision that did not happen.
 */
export const approveSession = async (caller: Caller, id: string, deps: DecisionDeps = defaultDecisionDeps) => {
  const stored = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'APPROVE', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvedAt: now.toISOString(), updatedAt: now.toISOString() };
    const notice = inboxWrites({ event: 'REQUEST_APPROVED', session: next, to: ['student'] }, deps.clock);
    // The tutor's reminders of the request are no longer wanted: the stream deletes their schedules.
    const resume = [...(approvalTaskToken ? [{ action: 'succeed' as const, token: approvalTaskToken, output: { decision: 'APPROVED' } }] : []), { action: 'schedules' as const }];
    return transitionSession(s, next, { extra: [...notice, ...workflowCallbackPuts(id, s.version + 1, resume, now.toISOString())] });
  });
  count('Approvals');
  return presentSession(stored);
};

export const rejectSession = async (caller: Caller, id: string, reason: string, deps: DecisionDeps = defaultDecisionDeps) => {
  const stored = await retryOnStale(async () => {
    const s = await asTutorOf(caller, id);
    const status = transition(s.status, 'REJECT', 'TUTOR');
    const now = deps.clock();
    assertBeforeDeadline(s, now);
    const at = now.toISOString();
    const { approvalTaskToken, ...rest } = s;
    const next: Session = { ...rest, status, approvalNotes: reason, rejectedAt: at, updatedAt: at };
    const blocks = sessionHoldBlocks(s);
    const notice = inboxWrites({ event: 'REQUEST_REJECTED', session: next, to: ['student'], extra: { reason } }, deps.clock);
    const resume = [
      ...(approvalTaskToken ? [{ action: 'fail' as const, token: approvalTaskToken, error: WORKFLOW_OUTCOMES.rejected, cause: reason.slice(0, 256) }] : []),
      { action: 'schedules' as const },
    ];
    return transitionSession(s, next, { releaseBlocks: blocks, extra: [...notice, ...workflowCallbackPuts(id, s.version + 1, resume, at)] });
  });
  count('Rejections');
  return presentSession(stored);
};
