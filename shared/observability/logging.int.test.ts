/**
 * The request's keys on every log line, and the event at DEBUG with nothing secret in it:
 * the real handlers (HTTP, workflow step, WebSocket) on DynamoDB Local, their output captured
 * as Lambda would get it.
 */
// First: the logger reads its level when first imported.
import '../../test/support/debug-logs';
import type { Context } from 'aws-lambda';
import { ulid } from 'ulid';
import { handler as approveSession } from '../../functions/http/approveSession';
import { handler as listMySessions } from '../../functions/http/listMySessions';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as expireRequest } from '../../functions/workflow/expireRequest';
import { handler as onMessage } from '../../functions/ws/default';
import { givenSession } from '../../test/support/sessions';
import { caller, httpEvent, type CallOptions } from '../../test/support/http';
import { captureLogs, type LogLine } from '../../test/support/logs';
import { signedWebhook, TEST_PAYSTACK_SECRET } from '../../test/support/paystack';
import { useTestTable } from '../../test/support/table';
import { httpHandler, ok } from '../http/handler';
import * as routes from '../http/routes';
import { sessionPath } from '../schemas/session';
import { logger } from './logger';
import { REDACTED } from './redact';

useTestTable();

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0dXRvci1sb2cifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const tutor = caller('tutor-log', 'tutor');
const student = caller('student-log', 'student');

type Invoke = (event: unknown, context: Context) => Promise<{ statusCode?: number }>;
let invocation = 0;
const contextFor = (): Context => ({ functionName: 'logging-test', awsRequestId: `aws-req-${(invocation += 1)}`, getRemainingTimeInMillis: () => 10_000 }) as unknown as Context;

/** Invokes an HTTP handler the way API Gateway does, Authorization header included; returns its status, log lines and ids. */
const request = async (handler: unknown, routeKey: string, opts: CallOptions = {}) => {
  const event = httpEvent(routeKey, { ...opts, headers: { ...(opts.as ? { authorization: `Bearer ${JWT}` } : {}), ...opts.headers } });
  const context = contextFor();
  let status: number | undefined;
  const lines = await captureLogs(async () => {
    status = (await (handler as Invoke)(event, context)).statusCode;
  });
  return { status, lines, requestId: event.requestContext.requestId, awsRequestId: context.awsRequestId };
};

const eventLine = (lines: LogLine[]) => lines.find((l) => l.message === 'Lambda invocation event');

describe('An HTTP request at DEBUG', () => {
  it('carries requestId, userId and sessionId on every line, and logs the event once, redacted', async () => {
    const s = await givenSession(student.sub, tutor.sub, {
      bookingMode: 'REQUEST',
      status: 'PENDING_MENTOR_REVIEW',
      paymentStatus: 'PENDING',
      approvalDeadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const { status, lines, requestId, awsRequestId } = await request(approveSession, 'POST /sessions/{sessionId}/approve', {
      as: tutor,
      pathParameters: { sessionId: s.id },
      headers: { cookie: 'session=abc123' },
    });
    expect(status).toBe(200);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line).toMatchObject({ requestId, userId: tutor.sub, sessionId: s.id, function_request_id: awsRequestId, service: 'mentorship-booking' });
    }
    expect(lines.filter((l) => l.message === 'Lambda invocation event')).toHaveLength(1);
    const debug = eventLine(lines)!;
    expect(debug.level).toBe('DEBUG');
    expect(debug.event.headers).toMatchObject({ authorization: REDACTED, cookie: REDACTED });
    expect(debug.event.pathParameters).toEqual({ sessionId: s.id });
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/Bearer|eyJ|abc123/);
  });

  it('never carries the keys of the request before, also after a request that failed', async () => {
    const s = await givenSession(student.sub, tutor.sub, {
      bookingMode: 'REQUEST',
      status: 'PENDING_MENTOR_REVIEW',
      paymentStatus: 'PENDING',
      approvalDeadline: new Date(Date.now() + 86_400_000).toISOString(),
    });
    // The student may not approve: 403, answered from the chain's error handler.
    const refused = await request(approveSession, 'POST /sessions/{sessionId}/approve', { as: student, pathParameters: { sessionId: s.id } });
    expect(refused.status).toBe(403);
    expect(eventLine(refused.lines)).toMatchObject({ requestId: refused.requestId, userId: student.sub, sessionId: s.id });

    const mine = await request(listMySessions, 'GET /me/sessions', { as: student, query: { view: 'upcoming' } });
    expect(mine.status).toBe(200);
    for (const line of mine.lines) {
      expect(line).toMatchObject({ requestId: mine.requestId, userId: student.sub });
      expect(line).not.toHaveProperty('sessionId');
    }

    // A route without a JWT through the same chain (GET /health itself skips the chain).
    const anonymousRoute = httpHandler(async () => ok({ status: 'ok' }), { route: routes.health });
    const anonymous = await request(anonymousRoute, 'GET /health');
    expect(anonymous.lines.length).toBeGreaterThan(0);
    for (const line of anonymous.lines) {
      expect(line.requestId).toBe(anonymous.requestId);
      expect(line).not.toHaveProperty('userId');
      expect(line).not.toHaveProperty('sessionId');
    }
  });

  it('puts the keys on the lines the route logs itself and on the unexpected error, with its stack', async () => {
    const failing = httpHandler(
      async ({ path }) => {
        logger.info('Looking at the session', { step: 1 });
        throw new Error(`boom in ${path.sessionId}`);
      },
      { route: routes.getSession, path: sessionPath },
    );
    const sessionId = ulid();
    const { status, lines, requestId } = await request(failing, 'GET /sessions/{sessionId}', { as: tutor, pathParameters: { sessionId } });
    expect(status).toBe(500);
    expect(lines.map((l) => l.message)).toEqual(['Lambda invocation event', 'Looking at the session', 'Unhandled error']);
    for (const line of lines) expect(line).toMatchObject({ requestId, userId: tutor.sub, sessionId });
    expect(lines[2]).toMatchObject({ level: 'ERROR', route: 'GET /sessions/{sessionId}', error: { name: 'Error', message: `boom in ${sessionId}`, stack: expect.anything() } });
  });

  it('logs no webhook body (card data) and no signature', async () => {
    process.env.PAYSTACK_SECRET_KEY = TEST_PAYSTACK_SECRET;
    const { body, signature } = signedWebhook({
      event: 'charge.success',
      data: {
        reference: 'mtr-unknown',
        amount: 100,
        currency: 'NGN',
        status: 'success',
        authorization: { last4: '4081', bin: '408408', signature: 'SIG_card' },
        customer: { email: 'payer@example.com' },
      },
    });
    const { lines } = await request(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'x-paystack-signature': signature } });
    const debug = eventLine(lines)!;
    expect(debug.event.headers['x-paystack-signature']).toBe(REDACTED);
    expect(debug.event.body).toBe(`[omitted: ${Buffer.byteLength(body)} bytes]`);
    const text = JSON.stringify(lines);
    for (const secret of [signature, '4081', '408408', 'SIG_card', 'payer@example.com']) expect(text).not.toContain(secret);
  });
});

describe('A workflow step at DEBUG', () => {
  it('carries the session id from its input on every line, and never the task token', async () => {
    const s = await givenSession(student.sub, tutor.sub, {
      bookingMode: 'REQUEST',
      status: 'PENDING_MENTOR_REVIEW',
      paymentStatus: 'PENDING',
      approvalDeadline: new Date(Date.now() - 60_000).toISOString(),
    });
    const lines = await captureLogs(() => (expireRequest as unknown as Invoke)({ sessionId: s.id, taskToken: 'AQCEAAAAKgAAAAMAAAAA-secret-task-token' }, contextFor()));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.sessionId).toBe(s.id);
    expect(eventLine(lines)!.event.taskToken).toBe(REDACTED);
    expect(JSON.stringify(lines)).not.toContain('secret-task-token');
  });
});

describe('A WebSocket message at DEBUG', () => {
  it('carries the connection id and the user id on every line', async () => {
    delete process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
    delete process.env.WEBSOCKET_MANAGEMENT_URL;
    const event = {
      requestContext: {
        routeKey: '$default',
        eventType: 'MESSAGE',
        connectionId: 'LogConn1=',
        requestId: 'ws-req-1',
        authorizer: { principalId: student.sub, userId: student.sub },
      },
      body: '{"type":"ping"}',
      isBase64Encoded: false,
    };
    let result: { statusCode?: number } | undefined;
    const lines = await captureLogs(async () => {
      result = await (onMessage as unknown as Invoke)(event, contextFor());
    });
    expect(result).toMatchObject({ statusCode: 200 });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ connectionId: 'LogConn1=', requestId: 'ws-req-1', userId: student.sub });
  });
});
