/**
 * The route table: the one list of HTTP routes, and everything each may do. CDK builds one
 * Lambda function and one HTTP API route per entry and grants the function exactly what its
 * `access` declares (infra/constructs/function-access.ts), with its timeout and memory; the
 * HTTP chain (./handler.ts) admits the callers `authBy` and `roles` declare; the local gateway
 * mounts the same entries on the same handlers. Plain data and types only: handlers import it.
 */
import type { Role } from '../domain/caller';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call:
 * - `jwt`: a signed-in user (the API's JWT authorizer), holding one of `roles` when given;
 * - `none`: anyone (the health check; a link whose query carries a signed token, which its use case checks);
 * - `signature`: a sender who signs the body (a webhook), checked by the chain before anything
 *   else with the secret `access` grants.
 */
export type RouteAuth = 'jwt' | 'none' | 'signature';

/**
 * What a function may do with the booking workflow (the state machine's ARN in STATE_MACHINE_ARN):
 * - `start`: StartExecution (one execution per booking);
 * - `callback`: resume a waiting execution with its task token (SendTaskSuccess/Failure);
 * - `cancel`: end a booking's execution: fail its wait (SendTaskFailure) or stop it (StopExecution);
 * - `stop`: only stop one (with `callback`, which fails waits already).
 */
export type WorkflowAccess = 'start' | 'callback' | 'cancel' | 'stop';

/** The DynamoDB actions the data layer uses (no Scan, no batch writes): a function's table access may name a few of them. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

/** What a function may touch; anything not declared it cannot (no permission, no environment variable). */
export interface FunctionAccess {
  /**
   * The table: `read` GetItem, BatchGetItem and Query (the table and its indexes); `write` those
   * and PutItem, UpdateItem, DeleteItem, ConditionCheckItem; `health` GetItem of the health item only;
   * a list: those actions only (on the table and its indexes), for a function that needs less than `read` or `write`.
   */
  table: 'read' | 'write' | 'health' | readonly TableAction[];
  workflow?: readonly WorkflowAccess[];
  /** Paystack's API with the Paystack secret key (which also signs its webhooks): the secret's ARN, PAYSTACK_BASE_URL, FRONTEND_URL. */
  paystack?: 'api';
  /**
   * Zoom, with the Zoom secret: `api` its API (the secret's ARN, ZOOM_API_BASE_URL, ZOOM_OAUTH_URL,
   * ZOOM_USER_ID, ZOOM_HOST_USERS); `webhook` only the secret's ARN, for its webhook token.
   */
  zoom?: 'api' | 'webhook';
  /**
   * Email: `links` the key that signs unsubscribe links (the email link secret); `calendar` the
   * sender's address and the front end (calendar files); `send` SendEmail from the SES identity
   * with its configuration set (the sender, the configuration set, the front end and API URLs), and `links`.
   */
  email?: 'links' | 'calendar' | 'send';
  /** The user pool: `groups` adds users to groups (cognito-idp:AdminAddUserToGroup, USER_POOL_ID). */
  cognito?: 'groups';
  /** The session timeline's schedules: `sync` creates, moves and deletes them (EventBridge Scheduler, the group's schedules, PassRole on the role they run as). */
  schedules?: 'sync';
  /** The WebSocket API: `push` posts to and deletes its connections (execute-api:ManageConnections on the stage, WEBSOCKET_MANAGEMENT_URL). */
  webSocket?: 'push';
}

export interface RouteDef {
  method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  path: string;
  /** The handler module: `functions/http/<handler>.ts`, exporting `handler`. */
  handler: string;
  authBy: RouteAuth;
  /** With `authBy: 'jwt'`: the caller must hold one of these (403 otherwise). */
  roles?: readonly Role[];
  access: FunctionAccess;
  /** How long the function may run; DEFAULT_ROUTE_TIMEOUT_SECONDS when not given, never above API_INTEGRATION_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
  /** The function's memory; DEFAULT_ROUTE_MEMORY_MB when not given. */
  memoryMb?: number;
}

/**
 * Most routes are a few DynamoDB calls. The ones that call Paystack wait on it: the client gives
 * each attempt 5 s and makes up to 4 attempts with backoff (shared/integrations/paystack.ts),
 * about 22 s at worst for one call. The Zoom client is alike (shared/integrations/zoom.ts).
 */
export const DEFAULT_ROUTE_TIMEOUT_SECONDS = 10;
/** API Gateway's integration timeout for HTTP APIs (a hard limit): no route function may run longer. */
export const API_INTEGRATION_TIMEOUT_SECONDS = 30;
export const DEFAULT_ROUTE_MEMORY_MB = 512;

const STUDENT = ['student'] as const;
const TUTOR = ['tutor'] as const;
const ADMIN = ['admin'] as const;
const READ = { table: 'read' } as const;
const WRITE = { table: 'write' } as const;

// One const per route, named as its handler, which passes it to httpHandler: a bundle keeps
// the entry its handler names and drops the others (unused object literals), where one array
// literal would keep every route's entry in every function.
export const health = { method: 'GET', path: '/health', handler: 'health', authBy: 'none', access: { table: 'health' } } as const satisfies RouteDef;
export const listTutors = { method: 'GET', path: '/tutors', handler: 'listTutors', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const getTutor = { method: 'GET', path: '/tutors/{tutorId}', handler: 'getTutor', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const putMyTutorProfile = { method: 'PUT', path: '/tutors/me', handler: 'putMyTutorProfile', authBy: 'jwt', roles: TUTOR, access: WRITE } as const satisfies RouteDef;
// An INSTANT booking opens a Paystack transaction. 15 s covers the usual call and a retry or two; a Paystack
// outage beyond that is a 5xx the student can retry (the reference makes a repeated initialize safe).
export const createSession = {
  method: 'POST',
  path: '/sessions',
  handler: 'createSession',
  authBy: 'jwt',
  roles: STUDENT,
  access: { table: 'write', paystack: 'api' },
  timeoutSeconds: 15,
} as const satisfies RouteDef;
export const getSession = { method: 'GET', path: '/sessions/{sessionId}', handler: 'getSession', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const approveSession = {
  method: 'POST',
  path: '/sessions/{sessionId}/approve',
  handler: 'approveSession',
  authBy: 'jwt',
  roles: TUTOR,
  access: WRITE,
} as const satisfies RouteDef;
export const rejectSession = {
  method: 'POST',
  path: '/sessions/{sessionId}/reject',
  handler: 'rejectSession',
  authBy: 'jwt',
  roles: TUTOR,
  access: WRITE,
} as const satisfies RouteDef;
// Proceed to Payment: a Paystack initialize, as createSession's.
export const startPayment = {
  method: 'POST',
  path: '/sessions/{sessionId}/payment',
  handler: 'startPayment',
  authBy: 'jwt',
  roles: STUDENT,
  access: { table: 'write', paystack: 'api' },
  timeoutSeconds: 15,
} as const satisfies RouteDef;
// One transaction: the workflow, Zoom and Paystack (a refund owed) hear of it through the table stream.
export const cancelSession = {
  method: 'POST',
  path: '/sessions/{sessionId}/cancel',
  handler: 'cancelSession',
  authBy: 'jwt',
  roles: ['student', 'tutor', 'admin'],
  access: WRITE,
} as const satisfies RouteDef;
export const reviewSession = {
  method: 'POST',
  path: '/sessions/{sessionId}/review',
  handler: 'reviewSession',
  authBy: 'jwt',
  roles: STUDENT,
  access: WRITE,
} as const satisfies RouteDef;
export const setMeetingUrl = { method: 'PUT', path: '/sessions/{sessionId}/meeting-url', handler: 'setMeetingUrl', authBy: 'jwt', access: WRITE } as const satisfies RouteDef;
export const listRecordings = { method: 'GET', path: '/sessions/{sessionId}/recordings', handler: 'listRecordings', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const listMySessions = { method: 'GET', path: '/me/sessions', handler: 'listMySessions', authBy: 'jwt', roles: STUDENT, access: READ } as const satisfies RouteDef;
export const listTutorSessions = { method: 'GET', path: '/tutor/sessions', handler: 'listTutorSessions', authBy: 'jwt', roles: TUTOR, access: READ } as const satisfies RouteDef;
export const getTutorStats = { method: 'GET', path: '/tutor/stats', handler: 'getTutorStats', authBy: 'jwt', roles: TUTOR, access: READ } as const satisfies RouteDef;
export const getMyWallet = { method: 'GET', path: '/me/wallet', handler: 'getMyWallet', authBy: 'jwt', roles: TUTOR, access: READ } as const satisfies RouteDef;
export const listAdminSessions = { method: 'GET', path: '/admin/sessions', handler: 'listAdminSessions', authBy: 'jwt', roles: ADMIN, access: READ } as const satisfies RouteDef;
export const listAdminRefunds = { method: 'GET', path: '/admin/refunds', handler: 'listAdminRefunds', authBy: 'jwt', roles: ADMIN, access: READ } as const satisfies RouteDef;
export const listMyNotifications = { method: 'GET', path: '/me/notifications', handler: 'listMyNotifications', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const markNotificationRead = {
  method: 'POST',
  path: '/me/notifications/{notificationId}/read',
  handler: 'markNotificationRead',
  authBy: 'jwt',
  access: WRITE,
} as const satisfies RouteDef;
// Verifies a charge before trusting the event (then resumes the execution waiting for the payment), lists a
// transaction's refunds (a session refunded in full is closed: its execution stopped; its Zoom meeting is
// deleted by the table stream), verifies a transfer: the most third-party time of any route, so all API Gateway allows. If Paystack is slow
// enough to use it all, API Gateway answers 503 at 30 s though the function may still finish; Paystack then
// redelivers, and the handler is idempotent (a duplicate credits nothing), so the late outcome stands.
export const paystackWebhook = {
  method: 'POST',
  path: '/webhooks/paystack',
  handler: 'paystackWebhook',
  authBy: 'signature',
  access: { table: 'write', workflow: ['callback', 'stop'], paystack: 'api' },
  timeoutSeconds: API_INTEGRATION_TIMEOUT_SECONDS,
} as const satisfies RouteDef;
export const listTutorSlots = { method: 'GET', path: '/tutors/{tutorId}/slots', handler: 'listTutorSlots', authBy: 'jwt', access: READ } as const satisfies RouteDef;
// One transaction: the workflow, the timeline's schedules and the Zoom meeting follow through the table stream.
export const rescheduleSession = {
  method: 'POST',
  path: '/sessions/{sessionId}/reschedule',
  handler: 'rescheduleSession',
  authBy: 'jwt',
  roles: ['student', 'tutor'],
  access: WRITE,
} as const satisfies RouteDef;
export const zoomWebhook = {
  method: 'POST',
  path: '/webhooks/zoom',
  handler: 'zoomWebhook',
  authBy: 'signature',
  access: { table: 'write', zoom: 'webhook' },
} as const satisfies RouteDef;
export const getMe = { method: 'GET', path: '/me', handler: 'getMe', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const applyToTutor = { method: 'POST', path: '/me/tutor-application', handler: 'applyToTutor', authBy: 'jwt', access: WRITE } as const satisfies RouteDef;
export const listTutorApplications = {
  method: 'GET',
  path: '/admin/tutor-applications',
  handler: 'listTutorApplications',
  authBy: 'jwt',
  roles: ADMIN,
  access: READ,
} as const satisfies RouteDef;
export const approveTutorApplication = {
  method: 'POST',
  path: '/admin/tutor-applications/{userId}/approve',
  handler: 'approveTutorApplication',
  authBy: 'jwt',
  roles: ADMIN,
  access: { table: 'write', cognito: 'groups' },
} as const satisfies RouteDef;
export const declineTutorApplication = {
  method: 'POST',
  path: '/admin/tutor-applications/{userId}/decline',
  handler: 'declineTutorApplication',
  authBy: 'jwt',
  roles: ADMIN,
  access: WRITE,
} as const satisfies RouteDef;
export const getMyPreferences = { method: 'GET', path: '/me/preferences', handler: 'getMyPreferences', authBy: 'jwt', access: READ } as const satisfies RouteDef;
export const putMyPreferences = { method: 'PUT', path: '/me/preferences', handler: 'putMyPreferences', authBy: 'jwt', access: WRITE } as const satisfies RouteDef;
// One-click unsubscribe: the signed token in the link is the authority.
export const emailUnsubscribe = {
  method: 'POST',
  path: '/email/unsubscribe',
  handler: 'emailUnsubscribe',
  authBy: 'none',
  access: { table: 'write', email: 'links' },
} as const satisfies RouteDef;
export const listBanks = { method: 'GET', path: '/banks', handler: 'listBanks', authBy: 'jwt', access: { table: 'read', paystack: 'api' } } as const satisfies RouteDef;
export const getMyPayoutAccount = {
  method: 'GET',
  path: '/me/payout-account',
  handler: 'getMyPayoutAccount',
  authBy: 'jwt',
  roles: TUTOR,
  access: READ,
} as const satisfies RouteDef;
// Resolves the account and creates a transfer recipient at Paystack.
export const putMyPayoutAccount = {
  method: 'PUT',
  path: '/me/payout-account',
  handler: 'putMyPayoutAccount',
  authBy: 'jwt',
  roles: TUTOR,
  access: { table: 'write', paystack: 'api' },
} as const satisfies RouteDef;
// A withdrawal and an admin's retry only write: the table stream's consumer calls Paystack.
export const createWithdrawal = { method: 'POST', path: '/me/withdrawals', handler: 'createWithdrawal', authBy: 'jwt', roles: TUTOR, access: WRITE } as const satisfies RouteDef;
export const listMyWithdrawals = { method: 'GET', path: '/me/withdrawals', handler: 'listMyWithdrawals', authBy: 'jwt', roles: TUTOR, access: READ } as const satisfies RouteDef;
export const listAdminWithdrawals = {
  method: 'GET',
  path: '/admin/withdrawals',
  handler: 'listAdminWithdrawals',
  authBy: 'jwt',
  roles: ADMIN,
  access: READ,
} as const satisfies RouteDef;
export const retryWithdrawal = {
  method: 'POST',
  path: '/admin/withdrawals/{withdrawalId}/retry',
  handler: 'retryWithdrawal',
  authBy: 'jwt',
  roles: ADMIN,
  access: WRITE,
} as const satisfies RouteDef;
// A fresh start link, read from Zoom each time.
export const getHostLink = {
  method: 'GET',
  path: '/sessions/{sessionId}/host-link',
  handler: 'getHostLink',
  authBy: 'jwt',
  access: { table: 'read', zoom: 'api' },
} as const satisfies RouteDef;
// Checks the tutor's Zoom user with Zoom's users API.
export const putMyZoomUser = { method: 'PUT', path: '/me/zoom-user', handler: 'putMyZoomUser', authBy: 'jwt', access: { table: 'write', zoom: 'api' } } as const satisfies RouteDef;
export const getSessionCalendar = {
  method: 'GET',
  path: '/sessions/{sessionId}/calendar.ics',
  handler: 'getSessionCalendar',
  authBy: 'jwt',
  access: { table: 'read', email: 'calendar' },
} as const satisfies RouteDef;

const TABLE = [
  health,
  listTutors,
  getTutor,
  putMyTutorProfile,
  createSession,
  getSession,
  approveSession,
  rejectSession,
  startPayment,
  cancelSession,
  reviewSession,
  setMeetingUrl,
  listRecordings,
  listMySessions,
  listTutorSessions,
  getTutorStats,
  getMyWallet,
  listAdminSessions,
  listAdminRefunds,
  listMyNotifications,
  markNotificationRead,
  paystackWebhook,
  listTutorSlots,
  rescheduleSession,
  zoomWebhook,
  getMe,
  applyToTutor,
  listTutorApplications,
  approveTutorApplication,
  declineTutorApplication,
  getMyPreferences,
  putMyPreferences,
  emailUnsubscribe,
  listBanks,
  getMyPayoutAccount,
  putMyPayoutAccount,
  createWithdrawal,
  listMyWithdrawals,
  listAdminWithdrawals,
  retryWithdrawal,
  getHostLink,
  putMyZoomUser,
  getSessionCalendar,
] as const;

/** Every route, in this order (tests hold every entry above to being here once). */
export const ROUTES: readonly RouteDef[] = TABLE;

export type RouteName = (typeof TABLE)[number]['handler'];

/** The entry of a handler (a name the table does not hold does not compile). */
export const routeOf = (handler: RouteName): RouteDef => ROUTES.find((r) => r.handler === handler)!;

export const routeKey = (r: RouteDef): string => `${r.method} ${r.path}`;

/** Path of the handler module, relative to the project root. */
export const handlerEntry = (r: RouteDef): string => `functions/http/${r.handler}.ts`;

export const routeTimeoutSeconds = (r: RouteDef): number => r.timeoutSeconds ?? DEFAULT_ROUTE_TIMEOUT_SECONDS;
export const routeMemoryMb = (r: RouteDef): number => r.memoryMb ?? DEFAULT_ROUTE_MEMORY_MB;
