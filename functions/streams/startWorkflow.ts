import { sessionId } from '../../shared/schemas/common';
import * as z from '../../shared/schemas/zod';
import { streamHandler } from '../../shared/streams/handler';
import { startBookingWorkflow } from '../../shared/usecases/start-workflow';

const booking = z.object({ id: sessionId, bookingMode: z.enum(['REQUEST', 'INSTANT']) });

/**
 * A new booking's session item: its workflow starts, named after the session, so a record
 * delivered again (a retried batch) finds the execution started and changes nothing.
 */
export const handler = streamHandler('startWorkflow', async (item) => {
  await startBookingWorkflow(booking.parse(item));
});
