/**
 * 3. Calls per request, and the fixtures the other phases use.
 *
 * With the probe capturing (ReturnConsumedCapacity: TOTAL on every command of the handlers'
 * client, and a copy of each input), it books and approves sessions one at a time, waiting
 * for the workflow's background work to finish after each (so that work can be attributed
 * to the booking, for the cost estimate), then calls every route a few times and counts the
 * DynamoDB calls each request made. The recorded calls of getSession, the two dashboards,
 * createSession and approveSession are the raw floor's templates (phase 2).
 */
import { signToken } from '../infra/local/emulators/oidc/jwt';
import type { BenchEnv } from './lib/env';
import { BENCH_TUTORS } from './lib/env';
import type { HttpResult } from './lib/http';
import { isRead, type DdbCall, type RequestTrace } from './lib/probe';
import { SEEDED_TITLE } from './lib/seeded';
import type { BookingRef, RawCall } from './lib/raw';
import { median, round } from './lib/stats';

export interface RouteCalls {
  route: string;
  kind: 'read' | 'write';
  runs: number;
  statuses: Record<string, number>;
  /** Median over the runs. */
  ddbCalls: number;
  reads: number;
  writes: number;
  transactions: number;
  /** The calls of a typical request, in order. */
  sequence: string;
  /** Median consumed capacity units per request (DynamoDB Local's figures). */
  capacity: number;
  /** Median outgoing calls to the (local) Step Functions API. */
  sfnCalls: number;
  /** Median outgoing calls to anything but DynamoDB (Step Functions, Paystack, Zoom, ...), by destination. */
  remote: Record<string, number>;
  /** The remote calls a write route may make on the request path (its answer needs them). */
  remoteAllowed: string[];
  pass: boolean;
  rule: string;
}

export interface Templates {
  getSession: RawCall[];
  upcoming: RawCall[];
  approvals: RawCall[];
  create: { ref: BookingRef; calls: RawCall[] };
  approve: { ref: BookingRef; calls: RawCall[] };
}

export interface Fixtures {
  reader: { id: string; token: string };
  readerSession: string;
  approvalsTutor: string;
  templates: Templates;
}

export interface CostSample {
  /** Capacity the request itself consumed, split into reads and writes. */
  apiRead: number;
  apiWrite: number;
  /** Capacity the workflow's steps consumed afterwards (until the background was quiet). */
  workflowRead: number;
  workflowWrite: number;
  serverMs: number;
}

export interface CallsResult {
  routes: RouteCalls[];
  cost: { booking: CostSample[]; approval: CostSample[]; sessionIds: string[] };
  seconds: number;
}

const shortName = (c: string) => c.replace(/Command$/, '');

const isTransaction = (c: string) => c === 'TransactWriteItemsCommand';

/**
 * A write route makes no remote call but DynamoDB's, except where the answer is the remote's:
 * paying returns the checkout link Paystack's initialize makes (so does an INSTANT booking).
 */
const REMOTE_ALLOWED: Record<string, string[]> = { 'POST /sessions/{id}/payment': ['paystack'] };
const LOCAL = new Set(['dynamodb', 'gateway']);

const summarizeRoute = (route: string, kind: 'read' | 'write', results: HttpResult[]): RouteCalls => {
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const ok = results.filter((r) => r.status >= 200 && r.status < 300);
  const traces = ok.map((r) => r.trace);
  const count = (t: RequestTrace, f: (c: DdbCall) => boolean) => t.ddb.filter(f).length;
  const ddbCalls = median(traces.map((t) => t.ddb.length));
  const reads = median(traces.map((t) => count(t, (c) => isRead(c.command))));
  const writes = median(traces.map((t) => count(t, (c) => !isRead(c.command))));
  const transactions = median(traces.map((t) => count(t, (c) => isTransaction(c.command))));
  const seqs = new Map<string, number>();
  for (const t of traces) {
    const s = t.ddb.map((c) => shortName(c.command) + (c.ok ? '' : `✗${c.reasons ? `(${c.reasons.filter((x) => x !== 'None').join(',')})` : ''}`)).join(' → ');
    seqs.set(s, (seqs.get(s) ?? 0) + 1);
  }
  const sequence = [...seqs.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  // The worst request counts: a route passes only if every run kept the rule.
  const maxReads = Math.max(0, ...traces.map((t) => count(t, (c) => isRead(c.command))));
  const maxWrites = Math.max(0, ...traces.map((t) => count(t, (c) => !isRead(c.command))));
  const maxCalls = Math.max(0, ...traces.map((t) => t.ddb.length));
  const destinations = [...new Set(traces.flatMap((t) => Object.keys(t.outbound)))].filter((d) => !LOCAL.has(d)).sort();
  const remote = Object.fromEntries(destinations.map((d) => [d, median(traces.map((t) => t.outbound[d] ?? 0))]));
  const remoteAllowed = REMOTE_ALLOWED[route] ?? [];
  const remoteOk = traces.every((t) => Object.entries(t.outbound).every(([d, n]) => LOCAL.has(d) || n === 0 || remoteAllowed.includes(d)));
  const pass = ok.length > 0 && remoteOk && (kind === 'read' ? maxCalls === 1 : maxReads <= 1 && maxWrites <= 1);
  return {
    route,
    kind,
    runs: results.length,
    statuses,
    ddbCalls,
    reads,
    writes,
    transactions,
    sequence,
    capacity: round(median(traces.map((t) => t.ddb.reduce((s, c) => s + (c.capacity ?? 0), 0))), 2),
    sfnCalls: median(traces.map((t) => t.outbound.sfn ?? 0)),
    remote,
    remoteAllowed,
    pass,
    rule: kind === 'read' ? 'one call, nothing remote' : `≤1 read and ≤1 write (transaction), nothing remote${remoteAllowed.length ? ` but ${remoteAllowed.join(', ')}` : ''}`,
  };
};

const callsOf = (t: RequestTrace): RawCall[] => t.ddb.map((c) => ({ command: c.command, input: c.input as Record<string, unknown> }));
const allOk = (t: RequestTrace) => t.ddb.length > 0 && t.ddb.every((c) => c.ok && c.input);

const expectStatus = (r: HttpResult, status: number, what: string) => {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
};

export const runCalls = async (env: BenchEnv, deadline: number, log: (line: string) => void): Promise<{ result: CallsResult; fixtures: Fixtures }> => {
  const t0 = Date.now();
  const { probe, http } = env;
  await probe.setCapture(true);
  // Bounded: past the deadline the phase goes on without waiting (its attributions get rougher).
  const settle = () => probe.settle(300, Math.max(0, Math.min(10_000, deadline - Date.now())));
  const bg = async () => {
    const b = await probe.background();
    return { read: b.ddbCapacityRead, write: b.ddbCapacityWrite };
  };
  const capacity = (t: RequestTrace, reads: boolean) => t.ddb.filter((c) => isRead(c.command) === reads).reduce((s, c) => s + (c.capacity ?? 0), 0);
  const sample = async (r: HttpResult, before: { read: number; write: number }): Promise<CostSample> => {
    const after = await bg();
    return {
      apiRead: capacity(r.trace, true),
      apiWrite: capacity(r.trace, false),
      workflowRead: round(after.read - before.read, 2),
      workflowWrite: round(after.write - before.write, 2),
      serverMs: round(r.trace.serverMs ?? Number.NaN, 2),
    };
  };

  const byRoute = new Map<string, { kind: 'read' | 'write'; results: HttpResult[] }>();
  const record = (route: string, kind: 'read' | 'write', r: HttpResult) => {
    const e = byRoute.get(route) ?? { kind, results: [] };
    e.results.push(r);
    byRoute.set(route, e);
    return r;
  };

  // The reader: ten sessions with ten tutors, booked and approved one at a time (≤ 5 open requests).
  log('calls: booking and approving the fixtures one at a time');
  const [reader] = await env.students(1);
  const tutorTokens = new Map<string, string>();
  for (const t of [...BENCH_TUTORS, 'tutor-ada']) tutorTokens.set(t, await env.token(t, ['tutor']));
  const cost: CallsResult['cost'] = { booking: [], approval: [], sessionIds: [] };
  let create: Templates['create'] | undefined;
  let approve: Templates['approve'] | undefined;
  const readerRefs: BookingRef[] = [];
  for (let batch = 0; batch < 2; batch++) {
    const refs: BookingRef[] = [];
    for (let j = 0; j < 5; j++) {
      const tutorId = BENCH_TUTORS[batch * 5 + j]!;
      const scheduledAt = env.slot(tutorId);
      const before = await bg();
      const r = record('POST /sessions', 'write', await env.book(reader!, tutorId, scheduledAt));
      expectStatus(r, 201, 'POST /sessions');
      await settle();
      cost.booking.push(await sample(r, before));
      const ref = { id: r.body.session.id as string, studentId: reader!.id, tutorId, scheduledAt };
      refs.push(ref);
      cost.sessionIds.push(ref.id);
      if (!create && allOk(r.trace)) create = { ref, calls: callsOf(r.trace) };
    }
    for (const ref of refs) {
      const before = await bg();
      const r = record('POST /sessions/{id}/approve', 'write', await http.request('POST', `/sessions/${ref.id}/approve`, { token: tutorTokens.get(ref.tutorId)! }));
      expectStatus(r, 200, 'POST /sessions/{id}/approve');
      await settle();
      cost.approval.push(await sample(r, before));
      if (!approve && allOk(r.trace)) approve = { ref, calls: callsOf(r.trace) };
    }
    readerRefs.push(...refs);
  }
  if (!create || !approve) throw new Error('No clean createSession / approveSession request to take the raw floor from');

  // tutor-ada's approvals dashboard: twelve open requests from twelve students.
  const requesters = await env.students(13);
  const adaBookings = await Promise.all(requesters.slice(0, 12).map((s) => env.book(s, 'tutor-ada')));
  for (const r of adaBookings) expectStatus(r, 201, 'POST /sessions (tutor-ada)');
  await settle();
  // One to reject.
  const toReject = await env.book(requesters[12]!, 'tutor-ada');
  expectStatus(toReject, 201, 'POST /sessions (to reject)');
  await settle();
  record(
    'POST /sessions/{id}/reject',
    'write',
    await http.request('POST', `/sessions/${toReject.body.session.id}/reject`, { token: tutorTokens.get('tutor-ada')!, body: { reason: 'Benchmark' } }),
  );
  await settle();

  const ada = tutorTokens.get('tutor-ada')!;
  const tutor1 = tutorTokens.get(BENCH_TUTORS[0]!)!;
  const admin = await env.token('admin-zainab', ['admin']);
  const profile = (await http.request('GET', `/tutors/${BENCH_TUTORS[0]}`, { token: reader!.token })).body as Record<string, unknown>;
  const profileBody =
    profile && typeof profile === 'object'
      ? pick(profile, ['displayName', 'bio', 'hourlyRate', 'durations', 'bookingModes', 'timezone', 'availability', 'minimumNoticeMinutes', 'bufferMinutes'])
      : {};

  const reads: [string, string, string][] = [
    ['GET /sessions/{id}', `/sessions/${readerRefs[0]!.id}`, reader!.token],
    ['GET /me/sessions?view=upcoming', '/me/sessions?view=upcoming', reader!.token],
    ['GET /me/sessions?view=awaiting-approval', '/me/sessions?view=awaiting-approval', requesters[0]!.token],
    ['GET /tutor/sessions?view=approvals', '/tutor/sessions?view=approvals', ada],
    ['GET /tutor/sessions?view=pending', '/tutor/sessions?view=pending', tutor1],
    ['GET /tutor/sessions?view=completed', '/tutor/sessions?view=completed', ada],
    ['GET /tutor/stats', '/tutor/stats', ada],
    ['GET /tutors', '/tutors', reader!.token],
    ['GET /tutors/{tutorId}', '/tutors/tutor-ada', reader!.token],
    ['GET /me/notifications', '/me/notifications', reader!.token],
    ['GET /me/wallet', '/me/wallet', ada],
    ['GET /admin/sessions?status=SCHEDULED', '/admin/sessions?status=SCHEDULED', admin],
  ];
  log(`calls: ${reads.length} read routes × 5 requests`);
  const readTemplates: Record<string, RawCall[]> = {};
  for (const [route, path, token] of reads) {
    for (let k = 0; k < 5; k++) {
      const r = record(route, 'read', await http.request('GET', path, { token }));
      if (!readTemplates[route] && r.status === 200 && allOk(r.trace)) readTemplates[route] = callsOf(r.trace);
    }
  }
  for (let k = 0; k < 3; k++) record('PUT /tutors/me', 'write', await http.request('PUT', '/tutors/me', { token: tutor1, body: profileBody }));
  const inbox = (await http.request('GET', '/me/notifications', { token: reader!.token })).body as { items?: { id: string }[] };
  for (const n of (inbox?.items ?? []).slice(0, 3)) {
    record('POST /me/notifications/{id}/read', 'write', await http.request('POST', `/me/notifications/${n.id}/read`, { token: reader!.token }));
  }
  await settle();

  // The other write routes, on sessions of their own (the reader's stay as the read routes saw them):
  // approved requests are paid for, moved and cancelled; completed ones (seeded) are reviewed.
  log('calls: pay, reschedule, cancel, review × 3');
  const [payer] = await env.students(1);
  const approved: BookingRef[] = [];
  for (let j = 0; j < 9; j++) {
    const tutorId = BENCH_TUTORS[10 + j]!;
    const r = await env.book(payer!, tutorId, env.slot(tutorId));
    expectStatus(r, 201, 'POST /sessions (payer)');
    await settle();
    const ref = { id: r.body.session.id as string, studentId: payer!.id, tutorId, scheduledAt: r.body.session.scheduledAt as string };
    expectStatus(await http.request('POST', `/sessions/${ref.id}/approve`, { token: tutorTokens.get(tutorId)! }), 200, 'approve (payer)');
    await settle();
    approved.push(ref);
  }
  // Paystack's checkout needs the student's email: the ID token's, as the web client's carries it.
  const payerToken = await signToken(
    { sub: payer!.id, groups: ['student'], name: payer!.id, email: `${payer!.id}@example.com` },
    { dataDir: env.dataDir, expiresIn: '2h', issuer: env.stack.issuer },
  );
  for (const ref of approved.slice(0, 3)) {
    record('POST /sessions/{id}/payment', 'write', await http.request('POST', `/sessions/${ref.id}/payment`, { token: payerToken, body: {} }));
    await settle();
  }
  for (const ref of approved.slice(3, 6)) {
    const to = env.slot(ref.tutorId);
    record('POST /sessions/{id}/reschedule', 'write', await http.request('POST', `/sessions/${ref.id}/reschedule`, { token: payer!.token, body: { scheduledAt: to } }));
    await settle();
  }
  for (const ref of approved.slice(6, 9)) {
    record('POST /sessions/{id}/cancel', 'write', await http.request('POST', `/sessions/${ref.id}/cancel`, { token: payer!.token, body: { reason: 'Benchmark' } }));
    await settle();
  }
  const completed = await seedCompleted(payer!.id, BENCH_TUTORS.slice(20, 23));
  for (const id of completed) {
    record('POST /sessions/{id}/review', 'write', await http.request('POST', `/sessions/${id}/review`, { token: payer!.token, body: { rating: 5, comment: 'Benchmark' } }));
    await settle();
  }
  await probe.setCapture(false);

  const need = (route: string) => {
    const t = readTemplates[route];
    if (!t) throw new Error(`No clean ${route} request to take the raw floor from`);
    return t;
  };
  const templates: Templates = {
    getSession: need('GET /sessions/{id}'),
    upcoming: need('GET /me/sessions?view=upcoming'),
    approvals: need('GET /tutor/sessions?view=approvals'),
    create,
    approve,
  };
  const routes = [...byRoute.entries()].map(([route, { kind, results }]) => summarizeRoute(route, kind, results));
  return {
    result: { routes, cost, seconds: round((Date.now() - t0) / 1000, 1) },
    fixtures: { reader: reader!, readerSession: readerRefs[0]!.id, approvalsTutor: 'tutor-ada', templates },
  };
};

/** Completed sessions to review, written straight to the table (a real one completes hours after its start). */
const seedCompleted = async (studentId: string, tutorIds: string[]): Promise<string[]> => {
  const { insertSession } = await import('../shared/data/sessions');
  const { ulid } = await import('ulid');
  const ids: string[] = [];
  for (const [k, tutorId] of tutorIds.entries()) {
    const start = Date.now() - (k + 2) * 3_600_000;
    const at = new Date(start).toISOString();
    const id = ulid(start - 86_400_000);
    await insertSession(
      {
        id,
        studentId,
        tutorId,
        student: { id: studentId, displayName: studentId },
        tutor: { id: tutorId, displayName: tutorId },
        title: SEEDED_TITLE,
        notes: null,
        scheduledAt: at,
        durationMinutes: 30,
        price: { amount: 500_000, currency: 'NGN' },
        bookingMode: 'INSTANT',
        status: 'COMPLETED',
        paymentStatus: 'PAID',
        meetingUrl: null,
        approvalNotes: null,
        rejectedAt: null,
        approvalDeadline: null,
        createdAt: new Date(start - 86_400_000).toISOString(),
        updatedAt: new Date(start + 30 * 60_000).toISOString(),
      },
      [],
    );
    ids.push(id);
  }
  return ids;
};

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
