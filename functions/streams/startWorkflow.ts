import { WORKFLOW_CALLBACK_TYPE } from '../../shared/data/workflow-callbacks';
import { bookingWorkflow } from '../../shared/integrations/workflow';
import { sessionId } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { streamHandler } from '../../shared/streams/handler';
import { sendWorkflowCallbacks, workflowCallbackItem } from '../../shared/usecases/workflow-callbacks';

const booking = z.object({ id: sessionId, bookingMode: z.enum(['REQUEST', 'INSTANT']) });

/**
 * The workflow's driver on the table stream. A new booking's session item: its workflow
 * starts, named after the session, so a record delivered again (a retried batch) finds the
 * execution started and changes nothing. A decision's callbacks: the waiting execution is
 * resumed, failed or stopped; a token already used or timed out is no error (the execution has
 * moved on), so a record delivered again changes nothing either.
 */
export const handler = streamHandler('startWorkflow', async (item) => {
  if (item.type === WORKFLOW_CALLBACK_TYPE) await sendWorkflowCallbacks(workflowCallbackItem.parse(item), bookingWorkflow);
  else await bookingWorkflow.start(booking.parse(item));
});
