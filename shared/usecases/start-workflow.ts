/**
 * A new booking's workflow, started once: the execution is named after the session, so a
 * second start (a retried stream record) finds it started and changes nothing. A module of its
 * own so the stream consumer that calls it loads the workflow client and nothing more.
 */
import type { Session } from '../domain/session';
import { bookingWorkflow, type BookingWorkflow } from '../integrations/workflow';

export const startBookingWorkflow = (session: Pick<Session, 'id' | 'bookingMode'>, workflow: BookingWorkflow = bookingWorkflow): Promise<void> => workflow.start(session);
