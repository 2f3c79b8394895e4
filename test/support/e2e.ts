/**
 * What the end-to-end tests do on a running local stack (test/support/local-stack.ts) and
 * look at afterwards: pay through the Paystack emulator's checkout, read sessions, wallets
 * and inboxes over HTTP, listen on the WebSocket API, ask the Zoom and Paystack emulators
 * (over their own HTTP APIs, they run in the stack's process) and the local Step Functions
 * service what happened.
 */
import { randomBytes } from 'node:crypto';
import { fireLocalTimer, listLocalExecutions, type ExecutionRow } from '../../infra/local/aws/stepfunctions/executions';
import { fireLocalSchedule, listLocalSchedules } from '../../infra/local/aws/scheduler/client';
import { DEMO_USERS } from '../../infra/local/demo-data';
import { LOCAL_ZOOM_CREDENTIALS } from '../../infra/local/emulators/zoom/local';
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

/**
 * A file's own users on the shared stack: two tutors with the demo tutors' profiles (every
 * day bookable, INSTANT and REQUEST), two students and an admin, under ids no other file
 * uses, so wallets, inboxes and slots are the file's alone. The tutors' profiles are put
 * before the file's tests.
 */
export const useE2eUsers = (stack: RunningStack, file: string) => {
  const prefix = `${file}-${randomBytes(3).toString('hex')}`;
  const users = {
    ada: `${prefix}-tutor-ada`,
    tunde: `${prefix}-tutor-tunde`,
    bola: `${prefix}-student-bola`,
    chidi: `${prefix}-student-chidi`,
    admin: `${prefix}-admin`,
  };
  const demo = (id: string) => DEMO_USERS.find((u) => u.id === id)!;
  for (const [key, demoId] of [
    ['ada', 'tutor-ada'],
    ['tunde', 'tutor-tunde'],
    ['bola', 'student-bola'],
    ['chidi', 'student-chidi'],
    ['admin', 'admin-zainab'],
  ] as const) {
    stack.register(users[key], demo(demoId).roles, demo(demoId).displayName);
  }
  beforeAll(async () => {
    await putTutor(stack, users.ada, { ...demo('tutor-ada').profile });
    await putTutor(stack, users.tunde, { ...demo('tutor-tunde').profile });
  });
  return users;
};

/** Every item of a paginated list (`items`, `nextCursor`), as `as` sees it. */
export const allPages = async <T = { id: string }>(stack: RunningStack, path: string, as: string): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await stack.api('GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { as });
    if (res.status !== 200) throw new Error(`GET ${path} as ${as}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
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

/**
 * Fires the timer the session's execution waits on in `state` (e.g. the approval deadline in
 * AwaitDecision, the payment window in AwaitPayment), once it waits there, and
 * resolves when the execution has moved on (waits again, elsewhere or anew, or has ended):
 * the test controls the clock instead of waiting for it.
 */
export const fireTimer = async (stack: RunningStack, sessionId: string, state: string): Promise<ExecutionRow> => {
  const waiting = await until(async () => {
    const e = await executionOf(stack, sessionId);
    return e?.state === state && e.detail === 'waiting for a callback' ? e : undefined;
  });
  await fireLocalTimer(sessionId, { endpoint: stack.sfnUrl });
  return until(async () => {
    const e = await executionOf(stack, sessionId);
    const movedOn = e && (e.status !== 'RUNNING' || (e.detail === 'waiting for a callback' && (e.state !== state || e.since!.getTime() > waiting.since!.getTime())));
    return movedOn ? e : undefined;
  });
};

/**
 * Runs the paid session's timeline (reminders, start, end) by firing its schedules on the local
 * scheduler one at a time, in the order of their times, until `done` holds for the session as
 * `as` sees it; resolves with that session. The schedules are made once the booking is
 * confirmed (the workflow's last step), so the first wait is for them.
 */
export const runTimelineUntil = async (stack: RunningStack, sessionId: string, as: string, done: (s: any) => boolean, maxSteps = 8) => {
  for (let step = 0; step <= maxSteps; step++) {
    const s = await sessionOf(stack, sessionId, as);
    if (done(s)) return s;
    if (step === maxSteps) break;
    const [next] = await until(async () => {
      const pending = (await schedulesOf(stack, sessionId)).schedules.filter((x) => x.status !== 'COMPLETED').sort((x, y) => x.at.localeCompare(y.at));
      return pending.length ? pending : undefined;
    });
    const fired = await fireSchedule(stack, next!.name);
    if (fired.outcome === 'DEAD_LETTERED') throw new Error(`fire ${next!.name}: ${fired.error}`);
  }
  throw new Error(`Session ${sessionId}: not there after ${maxSteps} schedules`);
};

/**
 * Brings an unanswered request's approval deadline now: fires its EXPIRE schedule (once the
 * table stream has made it), then resolves with the session, as `as` sees it, once `done` holds.
 */
export const runApprovalWaitUntil = async (stack: RunningStack, sessionId: string, as: string, done: (s: any) => boolean) => {
  const name = `${sessionId}-EXPIRE`;
  await until(async () => ((await schedulesOf(stack, sessionId)).schedules.some((x) => x.name === name && x.status !== 'COMPLETED') ? true : undefined));
  const fired = await fireSchedule(stack, name);
  if (fired.outcome === 'DEAD_LETTERED') throw new Error(`fire ${name}: ${fired.error}`);
  return sessionWhen(stack, sessionId, as, done);
};

/** The local scheduler's schedules whose name starts with `prefix` (a session id: the timeline's are named after the session and step), and their dead letters. */
export const schedulesOf = (stack: RunningStack, prefix: string) => listLocalSchedules({ endpoint: stack.schedulerUrl, prefix });

/** Runs a schedule now, its time skipped (as the scheduler runs it when its time comes: it is then deleted, or retried if it fails). */
export const fireSchedule = (stack: RunningStack, name: string, group?: string) => fireLocalSchedule(name, { endpoint: stack.schedulerUrl, ...(group ? { group } : {}) });

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
 * What the Paystack emulator logged (its GET /_emulator/log), read afresh by every call:
 * refunds are counted by their refund.processed webhook, which the emulator sends exactly
 * once per refund it accepted.
 */
export const paystackLog = (stack: RunningStack) => {
  const lines = async () => ((await (await fetch(`${stack.paystackUrl}/_emulator/log`)).json()) as { lines: string[] }).lines;
  return {
    /** Refunds the emulator accepted for the transaction. */
    refundsOf: async (reference: string) => (await lines()).filter((l) => l.includes(`webhook refund.processed ${reference} attempt 1 `)).length,
    /** Whether a refund.processed webhook for the transaction was answered 200. */
    refundDelivered: async (reference: string) => (await lines()).some((l) => new RegExp(`webhook refund\\.processed ${reference} attempt \\d+ → 200$`).test(l)),
    /** Every refund of the transaction the emulator was asked for, whatever the answer. */
    refundCalls: async (reference: string) => (await lines()).filter((l) => l.endsWith(`refund requested for ${reference}`)).length,
  };
};

/** Makes creating the session's Zoom meeting fail, as if Zoom were down for it (the emulator's control endpoint). */
export const failZoomMeetingsOf = async (stack: RunningStack, sessionId: string): Promise<void> => {
  const res = await fetch(`${stack.zoomUrl.replace(/\/v2$/, '')}/_emulator/faults/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ topicContains: sessionId }),
  });
  if (res.status !== 204) throw new Error(`Zoom emulator faults: ${res.status}`);
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
