/**
 * What the end-to-end tests do on a running local stack (test/support/local-stack.ts) and
 * look at afterwards: pay through the Paystack emulator's checkout, read sessions, wallets
 * and inboxes over HTTP, listen on the WebSocket API, ask the Zoom and Paystack emulators
 * (over their own HTTP APIs, they run in the stack's process) and the local Step Functions
 * service what happened.
 */
import { listLocalExecutions, type ExecutionRow } from '../../infra/local/executions';
import { LOCAL_ZOOM_CREDENTIALS } from '../../infra/local/zoom-emulator';
import { createZoomClient, isZoomError } from '../../shared/integrations/zoom';
import type { ZoomMeeting } from '../../shared/schemas/zoom';
import { until, type RunningStack } from './local-stack';
import { TEST_PAYSTACK_SECRET as LOCAL_PAYSTACK_SECRET } from './paystack';
import { openSocket, type TestSocket } from './ws';

/** What the checkout page's "Pay" (or "Fail") button does. */
export const checkout = (authorizationUrl: string, outcome: 'success' | 'failed' = 'success') =>
  fetch(authorizationUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `outcome=${outcome}`, redirect: 'manual' });

/** A start on the 15-minute grid at least `minutes` from now. */
export const gridIn = (minutes: number): string => new Date(Math.ceil((Date.now() + minutes * 60_000) / 900_000) * 900_000).toISOString();

/** `authorization` for any user id with the given roles (stack.api's `as` knows only demo roles). */
const bearer = async (stack: RunningStack, userId: string, groups: string[]) => ({ authorization: `Bearer ${await stack.token(userId, groups)}` });

/** Creates or replaces a tutor's profile, as that tutor. */
export const putTutor = async (stack: RunningStack, tutorId: string, profile: Record<string, unknown>) => {
  const res = await stack.api('PUT', '/tutors/me', { headers: await bearer(stack, tutorId, ['tutor']), body: profile });
  if (res.status !== 200) throw new Error(`PUT /tutors/me as ${tutorId}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

export interface Booking {
  tutorId: string;
  scheduledAt: string;
  durationMinutes?: number;
  bookingMode?: 'INSTANT' | 'REQUEST';
  title?: string;
}

export const book = (stack: RunningStack, student: string, b: Booking) =>
  stack.api('POST', '/sessions', {
    as: student,
    body: { tutorId: b.tutorId, scheduledAt: b.scheduledAt, durationMinutes: b.durationMinutes ?? 60, title: b.title ?? 'E2E', bookingMode: b.bookingMode ?? 'INSTANT' },
  });

export const sessionOf = async (stack: RunningStack, id: string, as: string) => {
  const res = await stack.api('GET', `/sessions/${id}`, { as });
  if (res.status !== 200) throw new Error(`GET /sessions/${id} as ${as}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** Polls the session (as `as`) until `done` holds for it. */
export const sessionWhen = (stack: RunningStack, id: string, as: string, done: (s: any) => boolean, timeoutMs?: number) =>
  until(async () => {
    const s = await sessionOf(stack, id, as);
    return done(s) ? s : undefined;
  }, timeoutMs);

/** An INSTANT booking paid through the checkout; resolves once it is PAID (and has its meeting, unless `meeting: false`). */
export const bookAndPay = async (stack: RunningStack, student: string, b: Booking, opts: { meeting?: boolean } = {}) => {
  const created = await book(stack, student, { ...b, bookingMode: 'INSTANT' });
  if (created.status !== 201) throw new Error(`POST /sessions: ${created.status} ${JSON.stringify(created.body)}`);
  const { session, payment } = created.body;
  await checkout(payment.authorizationUrl);
  const paid = await sessionWhen(stack, session.id, student, (s) => s.paymentStatus === 'PAID' && (opts.meeting === false || Boolean(s.meetingUrl)));
  return { session: paid, reference: payment.reference as string, authorizationUrl: payment.authorizationUrl as string };
};

export interface LedgerEntry {
  reference: string;
  kind: 'CREDIT' | 'REVERSAL';
  sessionId: string;
  amount: { amount: number; currency: string };
}

export const walletOf = async (stack: RunningStack, tutor: string): Promise<{ balance: { amount: number }; items: LedgerEntry[] }> => {
  const res = await stack.api('GET', '/me/wallet?limit=100', { as: tutor });
  if (res.status !== 200) throw new Error(`GET /me/wallet as ${tutor}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
};

/** The ledger entries of one session. */
export const ledgerOf = (wallet: { items: LedgerEntry[] }, sessionId: string) => wallet.items.filter((e) => e.sessionId === sessionId);

/** The user's inbox entries for `event` about `sessionId`. */
export const inboxOf = async (stack: RunningStack, userId: string, event: string, sessionId: string) => {
  const res = await stack.api('GET', '/me/notifications?limit=100', { as: userId });
  return (res.body.items as { event: string; sessionId: string }[]).filter((n) => n.event === event && n.sessionId === sessionId);
};

/** A WebSocket connection as `userId` (with a demo user's roles). */
export const connectAs = async (stack: RunningStack, userId: string): Promise<TestSocket> => openSocket(`${stack.wsUrl}/`, await stack.token(userId));

/** The first notification frame for `event` about `sessionId`. */
export const pushed = (socket: TestSocket, event: string, sessionId: string, timeoutMs = 10_000) =>
  socket.waitFor((f) => f?.type === 'notification' && f.notification.event === event && f.notification.sessionId === sessionId, timeoutMs);

/** The session's workflow execution (executions are named after sessions), as `npm run executions` shows it. */
export const executionOf = async (stack: RunningStack, sessionId: string): Promise<ExecutionRow | undefined> =>
  (await listLocalExecutions({ endpoint: stack.sfnUrl, all: true })).find((e) => e.name === sessionId);

/** The transaction as the Paystack emulator reports it (GET /transaction/verify). */
export const paystackTransaction = async (stack: RunningStack, reference: string): Promise<{ status: string; amount: number }> => {
  const res = await fetch(`${stack.paystackUrl}/transaction/verify/${encodeURIComponent(reference)}`, { headers: { authorization: `Bearer ${LOCAL_PAYSTACK_SECRET}` } });
  const body = (await res.json()) as { data: { status: string; amount: number } };
  return body.data;
};

/**
 * What the Paystack emulator logged (the stack's stdout): refunds are counted by their
 * refund.processed webhook, which the emulator sends exactly once per refund it accepted.
 */
export const paystackLog = (stack: RunningStack) => {
  const lines = () => stack.output().split('\n').filter((l) => l.startsWith('[paystack] '));
  return {
    /** Refunds the emulator accepted for the transaction. */
    refundsOf: (reference: string) => lines().filter((l) => l.includes(`webhook refund.processed ${reference} attempt 1 `)).length,
    /** Whether a refund.processed webhook for the transaction was answered 200. */
    refundDelivered: (reference: string) => lines().some((l) => new RegExp(`webhook refund\\.processed ${reference} attempt \\d+ → 200$`).test(l)),
    /** Every POST /refund the emulator answered, whatever the answer. */
    refundCalls: () => lines().filter((l) => / POST \/refund \d{3} /.test(l)).length,
  };
};

/** The Zoom emulator's API, with the local stack's app credentials. */
export const zoomOf = (stack: RunningStack) => {
  const client = createZoomClient({
    apiBaseUrl: stack.zoomUrl,
    oauthUrl: stack.zoomUrl.replace(/\/v2$/, '/oauth/token'),
    credentials: { ...LOCAL_ZOOM_CREDENTIALS },
    retries: 0,
    onRetry: () => {},
  });
  return {
    /** The meeting, or undefined when Zoom says it does not exist. */
    meeting: async (meetingId: string): Promise<ZoomMeeting | undefined> => {
      try {
        return await client.getMeeting(meetingId);
      } catch (e) {
        if (isZoomError(e, 'NOT_FOUND')) return undefined;
        throw e;
      }
    },
  };
};
