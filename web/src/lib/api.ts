/**
 * The API, one function per route the screens use, on the typed client (`@mentorship/client`:
 * paths, parameters and bodies checked against the OpenAPI document). Components never call
 * fetch: they use the query hooks of their feature, which call these.
 */
import { createApiClient } from '@mentorship/client';
import { ApiError, apiErrorFrom } from './errors';
import type { BankCurrency, BookingInput, PayoutAccountInput, PreferencesInput, SessionDuration, SessionStatus, StudentView, TutorProfileInput, TutorView } from './types';

export interface ApiOptions {
  baseUrl: string;
  /** The current ID token, or null when signed out. */
  token: () => Promise<string | null>;
  /** Called once when the API answers 401: renew the sign-in; true when a retry may work. */
  onUnauthorized?: () => Promise<boolean>;
  fetch?: (request: Request) => Promise<Response>;
}

/** What an openapi-fetch call resolves to: the success body as the document types it, or the error envelope. */
interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

export const createApi = (opts: ApiOptions) => {
  const client = createApiClient({
    baseUrl: opts.baseUrl,
    token: async () => (await opts.token()) ?? undefined,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  /** Runs a call; its success body, or an ApiError from the error envelope. A 401 renews the sign-in and tries once more. */
  const run = async <D>(send: () => Promise<Answer<D>>, retried = false): Promise<D> => {
    let answer: Answer<D>;
    try {
      answer = await send();
    } catch {
      throw new ApiError(0, 'NETWORK', '');
    }
    const { response } = answer;
    if (response.status === 401 && !retried && opts.onUnauthorized && (await opts.onUnauthorized())) return run(send, true);
    if (!response.ok || answer.data === undefined) throw apiErrorFrom(response.status, answer.error);
    return answer.data;
  };

  const session = (sessionId: string) => ({ params: { path: { sessionId } } });
  const page = (cursor?: string) => (cursor ? { cursor } : {});
  const applicant = (userId: string) => ({ params: { path: { userId } } });

  return {
    me: () => run(() => client.GET('/me')),
    applyAsTutor: (body: TutorProfileInput) => run(() => client.POST('/me/tutor-application', { body })),
    preferences: () => run(() => client.GET('/me/preferences')),
    savePreferences: (body: PreferencesInput) => run(() => client.PUT('/me/preferences', { body })),
    /** One-click unsubscribe with the token from an email's link: no sign-in, the token is the authority. */
    unsubscribe: (token: string) => run(() => client.POST('/email/unsubscribe', { params: { query: { token } } })),

    tutors: (cursor?: string) => run(() => client.GET('/tutors', { params: { query: page(cursor) } })),
    tutor: (tutorId: string) => run(() => client.GET('/tutors/{tutorId}', { params: { path: { tutorId } } })),
    slots: (tutorId: string, query: { from: string; to: string; durationMinutes: SessionDuration }) =>
      run(() => client.GET('/tutors/{tutorId}/slots', { params: { path: { tutorId }, query } })),
    saveMyProfile: (body: TutorProfileInput) => run(() => client.PUT('/tutors/me', { body })),

    book: (body: BookingInput) => run(() => client.POST('/sessions', { body })),
    session: (sessionId: string) => run(() => client.GET('/sessions/{sessionId}', session(sessionId))),
    approve: (sessionId: string) => run(() => client.POST('/sessions/{sessionId}/approve', session(sessionId))),
    reject: (sessionId: string, reason: string) => run(() => client.POST('/sessions/{sessionId}/reject', { ...session(sessionId), body: { reason } })),
    pay: (sessionId: string) => run(() => client.POST('/sessions/{sessionId}/payment', session(sessionId))),
    cancel: (sessionId: string, reason: string) => run(() => client.POST('/sessions/{sessionId}/cancel', { ...session(sessionId), body: { reason } })),
    reschedule: (sessionId: string, scheduledAt: string) => run(() => client.POST('/sessions/{sessionId}/reschedule', { ...session(sessionId), body: { scheduledAt } })),
    setMeetingUrl: (sessionId: string, meetingUrl: string) => run(() => client.PUT('/sessions/{sessionId}/meeting-url', { ...session(sessionId), body: { meetingUrl } })),
    /** A fresh Zoom start link for the session's tutor: fetched on click, never kept (it expires). */
    hostLink: (sessionId: string) => run(() => client.GET('/sessions/{sessionId}/host-link', session(sessionId))),
    recordings: (sessionId: string) => run(() => client.GET('/sessions/{sessionId}/recordings', session(sessionId))),
    review: (sessionId: string, body: { rating: number; comment?: string }) => run(() => client.POST('/sessions/{sessionId}/review', { ...session(sessionId), body })),

    mySessions: (view: StudentView, cursor?: string) => run(() => client.GET('/me/sessions', { params: { query: { view, ...page(cursor) } } })),
    tutorSessions: (view: TutorView, cursor?: string) => run(() => client.GET('/tutor/sessions', { params: { query: { view, ...page(cursor) } } })),
    tutorStats: () => run(() => client.GET('/tutor/stats')),
    wallet: (cursor?: string) => run(() => client.GET('/me/wallet', { params: { query: page(cursor) } })),
    banks: (currency: BankCurrency) => run(() => client.GET('/banks', { params: { query: { currency } } })),
    payoutAccount: () => run(() => client.GET('/me/payout-account')),
    savePayoutAccount: (body: PayoutAccountInput) => run(() => client.PUT('/me/payout-account', { body })),
    withdraw: (amount: number) => run(() => client.POST('/me/withdrawals', { body: { amount } })),
    withdrawals: (cursor?: string) => run(() => client.GET('/me/withdrawals', { params: { query: page(cursor) } })),

    notifications: (cursor?: string) => run(() => client.GET('/me/notifications', { params: { query: page(cursor) } })),
    markRead: (notificationId: string) => run(() => client.POST('/me/notifications/{notificationId}/read', { params: { path: { notificationId } } })),

    adminSessions: (status: SessionStatus, cursor?: string) => run(() => client.GET('/admin/sessions', { params: { query: { status, ...page(cursor) } } })),
    tutorApplications: (cursor?: string) => run(() => client.GET('/admin/tutor-applications', { params: { query: page(cursor) } })),
    approveApplication: (userId: string) => run(() => client.POST('/admin/tutor-applications/{userId}/approve', applicant(userId))),
    declineApplication: (userId: string, reason: string) => run(() => client.POST('/admin/tutor-applications/{userId}/decline', { ...applicant(userId), body: { reason } })),
  };
};

export type Api = ReturnType<typeof createApi>;
