/**
 * The API, one function per route the screens use. Components never call fetch: they use the
 * query hooks of their feature, which call these.
 */
import { ApiError, apiErrorFrom } from './errors';
import type {
  BookingMode,
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
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

export interface BookingInput {
  tutorId: string;
  scheduledAt: string;
  durationMinutes: number;
  title: string;
  notes?: string | null;
  bookingMode: BookingMode;
}

export const createApi = (opts: ApiOptions) => {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  const call = async <T>(method: string, path: string, init: { query?: Query; body?: unknown } = {}, retried = false): Promise<T> => {
    const url = new URL(opts.baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = await opts.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await doFetch(url, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
    } catch {
      throw new ApiError(0, 'NETWORK', '');
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (res.status === 401 && !retried && opts.onUnauthorized && (await opts.onUnauthorized())) return call<T>(method, path, init, true);
    if (!res.ok) throw apiErrorFrom(res.status, body);
    return body as T;
  };

  const page = (cursor?: string, limit?: number): Query => ({ cursor, limit });
  const id = encodeURIComponent;

  return {
    me: () => call<Me>('GET', '/me'),
    applyAsTutor: (body: TutorProfileInput) => call<unknown>('POST', '/me/tutor-application', { body }),

    tutors: (cursor?: string) => call<Page<TutorProfile>>('GET', '/tutors', { query: page(cursor) }),
    tutor: (tutorId: string) => call<TutorPage>('GET', `/tutors/${id(tutorId)}`),
    slots: (tutorId: string, q: { from: string; to: string; durationMinutes: number }) =>
      call<{ items: Slot[]; timezone: string }>('GET', `/tutors/${id(tutorId)}/slots`, { query: q }),
    saveMyProfile: (body: TutorProfileInput) => call<TutorProfile>('PUT', '/tutors/me', { body }),

    book: (body: BookingInput) => call<{ session: Session; payment?: Payment }>('POST', '/sessions', { body }),
    session: (sessionId: string) => call<SessionPage>('GET', `/sessions/${id(sessionId)}`),
    approve: (sessionId: string) => call<Session>('POST', `/sessions/${id(sessionId)}/approve`),
    reject: (sessionId: string, reason: string) => call<Session>('POST', `/sessions/${id(sessionId)}/reject`, { body: { reason } }),
    pay: (sessionId: string) => call<Payment>('POST', `/sessions/${id(sessionId)}/payment`),
    cancel: (sessionId: string, reason: string) => call<unknown>('POST', `/sessions/${id(sessionId)}/cancel`, { body: { reason } }),
    reschedule: (sessionId: string, scheduledAt: string) => call<unknown>('POST', `/sessions/${id(sessionId)}/reschedule`, { body: { scheduledAt } }),
    setMeetingUrl: (sessionId: string, meetingUrl: string) => call<unknown>('PUT', `/sessions/${id(sessionId)}/meeting-url`, { body: { meetingUrl } }),
    recordings: (sessionId: string) => call<{ items: Recording[] }>('GET', `/sessions/${id(sessionId)}/recordings`),
    review: (sessionId: string, body: { rating: number; comment?: string }) => call<unknown>('POST', `/sessions/${id(sessionId)}/review`, { body }),

    mySessions: (view: StudentView, cursor?: string) => call<Page<Session>>('GET', '/me/sessions', { query: { view, ...page(cursor) } }),
    tutorSessions: (view: TutorView, cursor?: string) => call<Page<TutorSession>>('GET', '/tutor/sessions', { query: { view, ...page(cursor) } }),
    tutorStats: () => call<TutorStats>('GET', '/tutor/stats'),
    wallet: (cursor?: string) => call<Wallet>('GET', '/me/wallet', { query: page(cursor) }),

    notifications: (cursor?: string) => call<Page<Notification>>('GET', '/me/notifications', { query: page(cursor) }),
    markRead: (notificationId: string) => call<unknown>('POST', `/me/notifications/${id(notificationId)}/read`),

    adminSessions: (status: SessionStatus, cursor?: string) => call<Page<Session>>('GET', '/admin/sessions', { query: { status, ...page(cursor) } }),
    tutorApplications: (cursor?: string) => call<Page<TutorApplication>>('GET', '/admin/tutor-applications', { query: page(cursor) }),
    approveApplication: (userId: string) => call<unknown>('POST', `/admin/tutor-applications/${id(userId)}/approve`),
    declineApplication: (userId: string, reason?: string) => call<unknown>('POST', `/admin/tutor-applications/${id(userId)}/decline`, reason ? { body: { reason } } : {}),
  };
};

export type Api = ReturnType<typeof createApi>;
