import { streamHandler } from '../../shared/streams/handler';
import { driveBookingWorkflow } from '../../shared/usecases/start-workflow';

/**
 * The workflow's driver on the table stream. A new booking's session item: its workflow
 * starts, named after the session, so a record delivered again (a retried batch) finds the
 * execution started and changes nothing. A decision's callbacks: the waiting execution is
 * resumed, failed or stopped; a token already used or timed out is no error (the execution has
 * moved on), so a record delivered again changes nothing either.
 */
export const handler = streamHandler('startWorkflow', async (item) => {
  await driveBookingWorkflow(item);
});
