/**
 * A new booking's workflow, started once: the execution is named after the session, so a
 * second start (a retried stream record) finds it started and changes nothing. A module of its
 * own so the stream consumer that calls it loads the workflow and scheduler clients and little more.
 */
import { WORKFLOW_CALLBACK_TYPE } from '../data/workflow-callbacks';
import { bookingWorkflow, type BookingWorkflow, type WorkflowStart } from '../integrations/workflow';
import { sessionId } from '../schemas/session-id';
import * as z from '../schemas/zod';
import { sendWorkflowCallbacks, workflowCallbackItem } from './workflow-callbacks';
import { syncSessionSchedules } from './timeline';

const booking = z.object({
  id: sessionId,
  bookingMode: z.enum(['REQUEST', 'INSTANT']),
  scheduledAt: z.iso.datetime(),
  approvalDeadline: z.optional(z.nullable(z.iso.datetime())),
});

export const startBookingWorkflow = (session: WorkflowStart, workflow: BookingWorkflow = bookingWorkflow): Promise<void> => workflow.start(session);

/**
 * What the workflow's stream consumer does with a record: a decision's callbacks are sent; a
 * new booking's workflow starts, and a request's reminders to the tutor and its expiry are scheduled.
 */
export const driveBookingWorkflow = async (
  item: Record<string, unknown>,
  workflow: BookingWorkflow = bookingWorkflow,
  syncSchedules: (sessionId: string) => Promise<unknown> = syncSessionSchedules,
): Promise<void> => {
  if (item.type === WORKFLOW_CALLBACK_TYPE) return sendWorkflowCallbacks(workflowCallbackItem.parse(item), workflow, syncSchedules);
  const session = booking.parse(item);
  await startBookingWorkflow(session, workflow);
  if (session.bookingMode === 'REQUEST') await syncSchedules(session.id);
};
