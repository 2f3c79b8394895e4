import type { FunctionAccess } from '../../shared/http/routes';
import type { BookingFunction } from './booking-function';
import type { BookingWebSocket } from './booking-websocket';
import type { BookingWorkflow } from './booking-workflow';
import type { Email } from './email';
import type { Paystack } from './paystack';
import type { TimelineSchedules } from './timeline-schedules';
import type { UserDirectory } from './user-directory';
import type { Zoom } from './zoom';

/** What a function may be given access to besides the table (which its own construct grants). */
export interface AccessTargets {
  workflow: BookingWorkflow;
  paystack: Paystack;
  zoom: Zoom;
  email: Email;
  users: UserDirectory;
  timeline: TimelineSchedules;
  webSocket: BookingWebSocket;
}

/**
 * Grants `fn` exactly what `access` declares beyond the table (a route's entry in
 * shared/http/routes.ts, a workflow step's in booking-workflow.ts, a stream consumer's in
 * shared/streams/consumers.ts): each grant gives the permission and the environment variables
 * that go with it, and nothing undeclared is given.
 */
export const grantAccess = (fn: BookingFunction, access: FunctionAccess, to: AccessTargets): void => {
  for (const a of access.workflow ?? []) to.workflow.grant(fn, a);
  if (access.cognito === 'groups') to.users.grantGroupChanges(fn);
  if (access.paystack === 'api') to.paystack.grant(fn);
  if (access.zoom === 'api') to.zoom.grant(fn);
  if (access.zoom === 'webhook') to.zoom.grantWebhook(fn);
  if (access.email === 'links') to.email.grantLinks(fn);
  if (access.email === 'calendar') to.email.grantCalendar(fn);
  if (access.email === 'send') to.email.grantSend(fn);
  if (access.schedules === 'sync') to.timeline.grantSync(fn);
  if (access.webSocket === 'push') to.webSocket.grantPush(fn);
};
