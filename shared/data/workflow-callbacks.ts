/**
 * Workflow callbacks: what a decision tells the session's waiting execution (resume its wait
 * with a result, fail it with one of the outcomes the definition catches, or stop an execution
 * that waits for nothing), and that the session's timeline schedules must follow it, stored in
 * the decision's own transaction. The table stream sends
 * them; the item expires once the stream no longer holds its record.
 */
import type { WORKFLOW_OUTCOMES } from '../workflow/definition';
import * as z from '../schemas/zod';
import { entity } from './entity';
import { workflowCallbackKey } from './keys';
import { streamSignalExpiresAt, streamSignalPut } from './ops';
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

/** Read back only by the stream's consumer, which parses the callbacks itself (shared/streams). */
export const WorkflowCallbackEntity = entity({
  type: 'WorkflowCallback',
  about: 'WorkflowCallback (what a decision tells the session’s waiting workflow execution; the stream sends it; TTL `expiresAt` 3 days on)',
  key: workflowCallbackKey,
  schema: z.object({ sessionId: z.string(), callbacks: z.array(z.record(z.string(), z.unknown())), createdAt: z.string(), expiresAt: z.number() }),
  sample: () => ({ pk: workflowCallbackKey('<id>', 0).pk, sk: workflowCallbackKey('', 0).sk.replace(/\d+$/, '<version, 6 digits>') }),
  accessPatterns: () => [
    {
      pattern: "a decision's callbacks reach the session's waiting execution",
      key: "Put `CALLBACK#<version>` in the decision's transaction; the table's stream, consumer `startWorkflow` (`INSERT` of `type = WorkflowCallback`), sends them to Step Functions",
      operation: 'TransactWriteItems, DynamoDB Streams',
    },
  ],
});

export const WORKFLOW_CALLBACK_TYPE = WorkflowCallbackEntity.type;

/**
 * The Put of a decision's callbacks, keyed by the session version the decision writes: a
 * transaction that lost a race to another writer writes none. Nothing to tell, nothing written.
 */
export const workflowCallbackPuts = (sessionId: string, version: number, callbacks: WorkflowCallback[], at: string): TransactItem[] =>
  callbacks.length === 0
    ? []
    : [streamSignalPut(WorkflowCallbackEntity.key(sessionId, version), WorkflowCallbackEntity.item({ sessionId, callbacks, createdAt: at, expiresAt: streamSignalExpiresAt(at) }))];
