/**
 * Sending a decision's workflow callbacks (shared/data/workflow-callbacks.ts), off the request
 * that decided: the table stream brings them here, with its retries and dead-letter queue.
 */
import type { WorkflowCallbackItem } from '../data/workflow-callbacks';
import type { BookingWorkflow } from '../integrations/workflow';
import { sessionId } from '../schemas/session-id';
import * as z from '../schemas/zod';
import { WORKFLOW_OUTCOMES } from '../workflow/definition';

const callback = z.discriminatedUnion('action', [
  z.object({ action: z.literal('succeed'), token: z.string(), output: z.record(z.string(), z.unknown()) }),
  z.object({
    action: z.literal('fail'),
    token: z.string(),
    error: z.enum([WORKFLOW_OUTCOMES.rejected, WORKFLOW_OUTCOMES.closed, WORKFLOW_OUTCOMES.rescheduled]),
    cause: z.string(),
  }),
  z.object({ action: z.literal('stop'), cause: z.string() }),
  z.object({ action: z.literal('schedules') }),
]);

/** The stored item, as the stream brings it. */
export const workflowCallbackItem = z.object({ sessionId, callbacks: z.array(callback), createdAt: z.string() });

/**
 * Sends each callback; a token that timed out, was used already or never existed means the
 * execution moved on (bookingWorkflow treats it as done), and stopping an execution that
 * ended already changes nothing. `syncSchedules` makes the session's timeline schedules match
 * the session as it is now, so it too may run again. Any other failure is thrown: the stream
 * retries the record.
 */
export const sendWorkflowCallbacks = async (item: WorkflowCallbackItem, workflow: BookingWorkflow, syncSchedules: (sessionId: string) => Promise<unknown>): Promise<void> => {
  for (const c of item.callbacks) {
    switch (c.action) {
      case 'succeed':
        await workflow.succeed(c.token, c.output);
        break;
      case 'fail':
        await workflow.fail(c.token, c.error, c.cause);
        break;
      case 'stop':
        await workflow.stop(item.sessionId, c.cause);
        break;
      case 'schedules':
        await syncSchedules(item.sessionId);
        break;
    }
  }
};
