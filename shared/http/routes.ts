/**
 * The route table: the one list of HTTP routes. CDK builds one Lambda function and one
 * HTTP API route per entry; the local gateway mounts the same entries on the same handlers.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** The handler module: `functions/http/<handler>.ts`, exporting `handler`. */
  handler: string;
  /** false: no JWT authorizer (health, webhooks signed by their sender, signed unsubscribe links). */
  auth: boolean;
}

export const ROUTES: readonly RouteDef[] = [
  { method: 'GET', path: '/health', handler: 'health', auth: false },
  { method: 'GET', path: '/tutors', handler: 'listTutors', auth: true },
  { method: 'GET', path: '/tutors/{tutorId}', handler: 'getTutor', auth: true },
  { method: 'PUT', path: '/tutors/me', handler: 'putMyTutorProfile', auth: true },
  { method: 'POST', path: '/sessions', handler: 'createSession', auth: true },
  { method: 'GET', path: '/sessions/{sessionId}', handler: 'getSession', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/approve', handler: 'approveSession', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/reject', handler: 'rejectSession', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/payment', handler: 'startPayment', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/cancel', handler: 'cancelSession', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/review', handler: 'reviewSession', auth: true },
  { method: 'PUT', path: '/sessions/{sessionId}/meeting-url', handler: 'setMeetingUrl', auth: true },
  { method: 'GET', path: '/sessions/{sessionId}/recordings', handler: 'listRecordings', auth: true },
  { method: 'GET', path: '/me/sessions', handler: 'listMySessions', auth: true },
  { method: 'GET', path: '/tutor/sessions', handler: 'listTutorSessions', auth: true },
  { method: 'GET', path: '/tutor/stats', handler: 'getTutorStats', auth: true },
  { method: 'GET', path: '/me/wallet', handler: 'getMyWallet', auth: true },
  { method: 'GET', path: '/admin/sessions', handler: 'listAdminSessions', auth: true },
  { method: 'GET', path: '/admin/refunds', handler: 'listAdminRefunds', auth: true },
  { method: 'GET', path: '/me/notifications', handler: 'listMyNotifications', auth: true },
  { method: 'POST', path: '/me/notifications/{notificationId}/read', handler: 'markNotificationRead', auth: true },
  { method: 'POST', path: '/webhooks/paystack', handler: 'paystackWebhook', auth: false },
  { method: 'GET', path: '/tutors/{tutorId}/slots', handler: 'listTutorSlots', auth: true },
  { method: 'POST', path: '/sessions/{sessionId}/reschedule', handler: 'rescheduleSession', auth: true },
  { method: 'POST', path: '/webhooks/zoom', handler: 'zoomWebhook', auth: false },
  { method: 'GET', path: '/me', handler: 'getMe', auth: true },
  { method: 'POST', path: '/me/tutor-application', handler: 'applyToTutor', auth: true },
  { method: 'GET', path: '/admin/tutor-applications', handler: 'listTutorApplications', auth: true },
  { method: 'POST', path: '/admin/tutor-applications/{userId}/approve', handler: 'approveTutorApplication', auth: true },
  { method: 'POST', path: '/admin/tutor-applications/{userId}/decline', handler: 'declineTutorApplication', auth: true },
  { method: 'GET', path: '/me/preferences', handler: 'getMyPreferences', auth: true },
  { method: 'PUT', path: '/me/preferences', handler: 'putMyPreferences', auth: true },
  { method: 'POST', path: '/email/unsubscribe', handler: 'emailUnsubscribe', auth: false },
  { method: 'GET', path: '/banks', handler: 'listBanks', auth: true },
  { method: 'GET', path: '/me/payout-account', handler: 'getMyPayoutAccount', auth: true },
  { method: 'PUT', path: '/me/payout-account', handler: 'putMyPayoutAccount', auth: true },
  { method: 'POST', path: '/me/withdrawals', handler: 'createWithdrawal', auth: true },
  { method: 'GET', path: '/me/withdrawals', handler: 'listMyWithdrawals', auth: true },
  { method: 'GET', path: '/admin/withdrawals', handler: 'listAdminWithdrawals', auth: true },
  { method: 'POST', path: '/admin/withdrawals/{withdrawalId}/retry', handler: 'retryWithdrawal', auth: true },
  { method: 'GET', path: '/sessions/{sessionId}/host-link', handler: 'getHostLink', auth: true },
  { method: 'PUT', path: '/me/zoom-user', handler: 'putMyZoomUser', auth: true },
  { method: 'GET', path: '/sessions/{sessionId}/calendar.ics', handler: 'getSessionCalendar', auth: true },
];

export const routeKey = (r: RouteDef): string => `${r.method} ${r.path}`;

/** Path of the handler module, relative to the project root. */
export const handlerEntry = (r: RouteDef): string => `functions/http/${r.handler}.ts`;
