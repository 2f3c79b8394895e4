/**
 * Workflow callbacks: what a decision tells the session's waiting execution (resume its wait
 * with a result, fail it with one of the outcomes the definition catches, or stop an execution
 * that waits for nothing), and that the session's timeline schedules must follow it, stored in
 * the decision's own transaction. The table stream sends
 * them; the item expires once the stream no longer holds its record.
 */
import { config } from '../config';
import type { WORKFLOW_OUTCOMES } from '../workflow/definition';
import { workflowCallbackKey } from './keys';
import type { TransactItem } from './transact';

export type WorkflowOutcome = (typeof WORKFLOW_OUTCOMES)[keyof typeof WORKFLOW_OUTCOMES];

export type WorkflowCallback =
  | { action: 'succeed'; token: string; output: Record<string, unknown> }
  | { action: 'fail'; token: string; error: WorkflowOutcome; cause: string }
  | { action: 'stop'; cause: string }
  /** Not the execution's: the session's timeline schedules are made to match it (shared/usecases/timeline.ts). */
  | { action: 'schedules' };

export interface WorkflowCallbackItem {
  sessionId: string;
  callbacks: WorkflowCallback[];
  createdAt: string;
}

export const WORKFLOW_CALLBACK_TYPE = 'WorkflowCallback';

/** Kept past the stream's 24 h, for a look at what was sent; then DynamoDB's TTL deletes it. */
const RETENTION_SECONDS = 3 * 24 * 3600;

/**
 * The Put of a decision's callbacks, keyed by the session version the decision writes: a
 * transaction that lost a race to another writer writes none. Nothing to tell, nothing written.
 */
export const workflowCallbackPuts = (sessionId: string, version: number, callbacks: WorkflowCallback[], at: string): TransactItem[] =>
  callbacks.length === 0
    ? []
    : [
        {
          Put: {
            TableName: config().tableName,
            Item: {
              ...workflowCallbackKey(sessionId, version),
              type: WORKFLOW_CALLBACK_TYPE,
              sessionId,
              callbacks,
              createdAt: at,
              expiresAt: Math.floor(Date.parse(at) / 1000) + RETENTION_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
