/**
 * The API, one function per route the screens use, on the typed client (`@mentorship/client`:
 * paths, parameters and bodies checked against the OpenAPI document). Components never call
 * fetch: they use the query hooks of their feature, which call these.
 */
import { createApiClient } from '@mentorship/client';
import { ApiError, apiErrorFrom } from './errors';
import type {
  BookingInput,
  SessionDuration,
  Me,
  Notification,
  Page,
  Payment,
  Recording,
  Session,
  SessionPage,
  SessionStatus,
  Slot,
  StudentView,
  TutorApplication,
  TutorPage,
  TutorProfile,
  TutorProfileInput,
  TutorSession,
  TutorStats,
  TutorView,
  Wallet,
} from './types';

export interface ApiOptions {
  baseUrl: string;
  /** The current ID token, or null when signed out. */
  token: () => Promise<string | null>;
  /** Called once when the API answers 401: renew the sign-in; true when a retry may work. */
  onUnauthorized?: () => Promise<boolean>;
  fetch?: (request: Request) => Promise<Response>;
}

/** What an openapi-fetch call resolves to. */
interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export const createApi = (opts: ApiOptions) => {
  const client = createApiClient({
    baseUrl: opts.baseUrl,
    token: async () => (await opts.token()) ?? undefined,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });

  /**
   * Runs a call; its success body as `T` (the answers' shapes are this app's types until the
   * document gives their schemas), or an ApiError from the error envelope. A 401 renews the
   * sign-in and tries once more.
   */
  const run = async <T>(send: () => Promise<Answer>, retried = false): Promise<T> => {
    let answer: Answer;
    try {
      answer = await send();
    } catch {
      throw new ApiError(0, 'NETWORK', '');
    }
    const { response } = answer;
    if (response.status === 401 && !retried && opts.onUnauthorized && (await opts.onUnauthorized())) return run<T>(send, true);
    if (!response.ok) throw apiErrorFrom(response.status, answer.error);
    return (answer.data ?? null) as T;
  };

  /**
   * Routes the OpenAPI document does not list yet (the identity routes): the same envelope and
   * token, without the document's types.
   */
  const untyped = <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> =>
    run<T>(async () => {
      const headers: Record<string, string> = { accept: 'application/json' };
      const token = await opts.token();
      if (token) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const request = new Request(opts.baseUrl + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const response = await (opts.fetch ?? fetch)(request);
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = null;
      }
      return response.ok ? { data: parsed, response } : { error: parsed, response };
    });

  const session = (sessionId: string) => ({ params: { path: { sessionId } } });

  return {
    me: () => untyped<Me>('GET', '/me'),
    applyAsTutor: (body: TutorProfileInput) => untyped<unknown>('POST', '/me/tutor-application', body),

    tutors: (cursor?: string) => run<Page<TutorProfile>>(() => client.GET('/tutors', { params: { query: { ...(cursor ? { cursor } : {}) } } })),
    tutor: (tutorId: string) => run<TutorPage>(() => client.GET('/tutors/{tutorId}', { params: { path: { tutorId } } })),
    slots: (tutorId: string, query: { from: string; to: string; durationMinutes: SessionDuration }) =>
      run<{ items: Slot[]; timezone: string }>(() => client.GET('/tutors/{tutorId}/slots', { params: { path: { tutorId }, query } })),
    saveMyProfile: (body: TutorProfileInput) => run<TutorProfile>(() => client.PUT('/tutors/me', { body })),

    book: (body: BookingInput) => run<{ session: Session; payment?: Payment }>(() => client.POST('/sessions', { body })),
    session: (sessionId: string) => run<SessionPage>(() => client.GET('/sessions/{sessionId}', session(sessionId))),
    approve: (sessionId: string) => run<Session>(() => client.POST('/sessions/{sessionId}/approve', session(sessionId))),
    reject: (sessionId: string, reason: string) => run<Session>(() => client.POST('/sessions/{sessionId}/reject', { ...session(sessionId), body: { reason } })),
    pay: (sessionId: string) => run<Payment>(() => client.POST('/sessions/{sessionId}/payment', session(sessionId))),
    cancel: (sessionId: string, reason: string) => run<unknown>(() => client.POST('/sessions/{sessionId}/cancel', { ...session(sessionId), body: { reason } })),
    reschedule: (sessionId: string, scheduledAt: string) => run<unknown>(() => client.POST('/sessions/{sessionId}/reschedule', { ...session(sessionId), body: { scheduledAt } })),
    setMeetingUrl: (sessionId: string, meetingUrl: string) => run<unknown>(() => client.PUT('/sessions/{sessionId}/meeting-url', { ...session(sessionId), body: { meetingUrl } })),
    recordings: (sessionId: string) => run<{ items: Recording[] }>(() => client.GET('/sessions/{sessionId}/recordings', session(sessionId))),
    review: (sessionId: string, body: { rating: number; comment?: string }) => run<unknown>(() => client.POST('/sessions/{sessionId}/review', { ...session(sessionId), body })),

    mySessions: (view: StudentView, cursor?: string) => run<Page<Session>>(() => client.GET('/me/sessions', { params: { query: { view, ...(cursor ? { cursor } : {}) } } })),
    tutorSessions: (view: TutorView, cursor?: string) =>
      run<Page<TutorSession>>(() => client.GET('/tutor/sessions', { params: { query: { view, ...(cursor ? { cursor } : {}) } } })),
    tutorStats: () => run<TutorStats>(() => client.GET('/tutor/stats')),
    wallet: (cursor?: string) => run<Wallet>(() => client.GET('/me/wallet', { params: { query: { ...(cursor ? { cursor } : {}) } } })),

    notifications: (cursor?: string) => run<Page<Notification>>(() => client.GET('/me/notifications', { params: { query: { ...(cursor ? { cursor } : {}) } } })),
    markRead: (notificationId: string) => run<unknown>(() => client.POST('/me/notifications/{notificationId}/read', { params: { path: { notificationId } } })),

    adminSessions: (status: SessionStatus, cursor?: string) =>
      run<Page<Session>>(() => client.GET('/admin/sessions', { params: { query: { status, ...(cursor ? { cursor } : {}) } } })),
    tutorApplications: (cursor?: string) => untyped<Page<TutorApplication>>('GET', `/admin/tutor-applications${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
    approveApplication: (userId: string) => untyped<unknown>('POST', `/admin/tutor-applications/${encodeURIComponent(userId)}/approve`),
    declineApplication: (userId: string, reason?: string) =>
      untyped<unknown>('POST', `/admin/tutor-applications/${encodeURIComponent(userId)}/decline`, reason ? { reason } : undefined),
  };
};

export type Api = ReturnType<typeof createApi>;
