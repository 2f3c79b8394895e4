import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { ROUTES, type RouteDef } from '../../../../shared/http/routes';
import { close, createGateway, createRouter, listen, stringifyClaim, type LambdaHandler } from './gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, signToken, verifyToken } from '../../emulators/oidc/jwt';
import { useTestTable } from '../../../../test/support/table';

// GET /health reads the table.
useTestTable();

const dataDir = mkdtempSync(join(tmpdir(), 'gateway-test-'));
const ORIGIN = 'http://localhost:5173';

/** The fake Lambda: echoes what it got, or misbehaves on request. */
const echo: LambdaHandler = async (event: unknown, context: Context) => {
  const e = event as { rawPath: string; headers: Record<string, string> };
  if (e.headers['x-test'] === 'throw') throw new Error('boom');
  if (e.headers['x-test'] === 'plain') return { hello: 'world' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-handler': 'echo' },
    body: JSON.stringify({
      event,
      context: { functionName: context.functionName, awsRequestId: context.awsRequestId, logStreamName: context.logStreamName, remaining: context.getRemainingTimeInMillis() },
    }),
  };
};

const loaded: string[] = [];
let server: Server;
let port: number;
const errors: unknown[] = [];

beforeAll(async () => {
  server = createGateway({
    routes: ROUTES,
    loadHandler: async (route: RouteDef) => {
      loaded.push(route.handler);
      return echo;
    },
    verify: (token) => verifyToken(token, { dataDir }),
    allowedOrigins: [ORIGIN],
    log: false,
    logError: (_message, error) => errors.push(error),
  });
  port = (await listen(server, 0, '127.0.0.1')).port;
});

afterAll(async () => {
  await close(server);
  rmSync(dataDir, { recursive: true, force: true });
});

interface Res {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: () => any;
}

/** A raw HTTP request (fetch would normalise paths and headers). */
const call = (method: string, path: string, opts: { headers?: Record<string, string | string[]>; body?: string | Buffer; chunked?: boolean } = {}): Promise<Res> =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = { ...opts.headers };
    if (opts.body !== undefined && !opts.chunked) headers['content-length'] = String(Buffer.byteLength(opts.body));
    let answered = false;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) });
      });
    });
    // The gateway may answer (413) and close before the whole body is written.
    req.on('error', (e) => (answered ? undefined : reject(e)));
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });

const tokenFor = (sub: string, groups: string[]) => signToken({ sub, groups, name: 'Bola Adeyemi', email: 'bola@example.com' }, { dataDir });
const bearer = async (groups = ['student', 'tutor']) => ({ authorization: `Bearer ${await tokenFor('student-bola', groups)}` });

describe('the local gateway', () => {
  it('hands the handler an API Gateway payload 2.0 event for the matched route', async () => {
    const res = await call('GET', '/sessions/01ARZ3NDEKTSV4RRFFQ69G5FAV%20x?limit=5&tag=a&tag=b&empty=', {
      headers: { ...(await bearer()), 'X-Custom': 'One', 'user-agent': 'jest', cookie: 'a=1; b=2' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['x-handler']).toBe('echo');
    const { event, context } = res.json();
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /sessions/{sessionId}',
      rawPath: '/sessions/01ARZ3NDEKTSV4RRFFQ69G5FAV%20x',
      rawQueryString: 'limit=5&tag=a&tag=b&empty=',
      queryStringParameters: { limit: '5', tag: 'a,b', empty: '' },
      pathParameters: { sessionId: '01ARZ3NDEKTSV4RRFFQ69G5FAV x' },
      cookies: ['a=1', 'b=2'],
      isBase64Encoded: false,
      requestContext: {
        accountId: expect.any(String),
        apiId: expect.any(String),
        domainName: '127.0.0.1',
        http: { method: 'GET', path: '/sessions/01ARZ3NDEKTSV4RRFFQ69G5FAV%20x', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
        requestId: expect.any(String),
        routeKey: 'GET /sessions/{sessionId}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
        authorizer: { jwt: { scopes: null }, principalId: '', integrationLatency: 0 },
      },
    });
    expect(event.headers['x-custom']).toBe('One');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(res.headers['apigw-requestid']).toBe(event.requestContext.requestId);
    expect(context).toMatchObject({ functionName: 'mentorship-local-getSession', awsRequestId: expect.any(String) });
    expect(context.remaining).toBeGreaterThan(0);
  });

  it('hands over the JWT claims flattened to strings the way HTTP APIs do', async () => {
    const res = await call('GET', '/tutors', { headers: await bearer(['student', 'tutor']) });
    const { claims } = res.json().event.requestContext.authorizer.jwt;
    expect(claims).toMatchObject({
      sub: 'student-bola',
      'cognito:groups': '[student tutor]',
      name: 'Bola Adeyemi',
      email: 'bola@example.com',
      token_use: 'id',
      iss: LOCAL_ISSUER,
      aud: LOCAL_AUDIENCE,
      exp: expect.stringMatching(/^\d+$/),
      iat: expect.stringMatching(/^\d+$/),
    });
  });

  it('leaves pathParameters and queryStringParameters out when there are none', async () => {
    const { event } = (await call('GET', '/tutors', { headers: await bearer() })).json();
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event.rawQueryString).toBe('');
  });

  it('passes the request body as a string', async () => {
    const body = JSON.stringify({ tutorId: 'tutor-ada', note: 'Olá' });
    const { event } = (await call('POST', '/sessions', { headers: { ...(await bearer()), 'content-type': 'application/json' }, body })).json();
    expect(event.routeKey).toBe('POST /sessions');
    expect(event.body).toBe(body);
  });

  it('prefers a path literal over a path parameter', () => {
    const route = createRouter([
      { method: 'GET', path: '/things/{id}', handler: 'a', authBy: 'none', access: { table: 'read' } },
      { method: 'GET', path: '/things/mine', handler: 'b', authBy: 'none', access: { table: 'read' } },
    ]);
    expect(route('GET', '/things/mine')?.compiled.route.handler).toBe('b');
    expect(route('GET', '/things/other')?.params).toEqual({ id: 'other' });
    expect(route('GET', '/things')).toBeUndefined();
    expect(route('GET', '/things/a/b')).toBeUndefined();
  });

  it('matches PUT /tutors/me and GET /tutors/{tutorId} by method', async () => {
    const put = (await call('PUT', '/tutors/me', { headers: await bearer(), body: '{}' })).json().event;
    const get = (await call('GET', '/tutors/me', { headers: await bearer() })).json().event;
    expect(put.routeKey).toBe('PUT /tutors/me');
    expect(put).not.toHaveProperty('pathParameters');
    expect(get.routeKey).toBe('GET /tutors/{tutorId}');
    expect(get.pathParameters).toEqual({ tutorId: 'me' });
  });

  it('lets routes without auth through without a token and without an authorizer context', async () => {
    const { event } = (await call('GET', '/health')).json();
    expect(event.routeKey).toBe('GET /health');
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers 401 without calling the handler when the token is missing', async () => {
    const before = loaded.length;
    const res = await call('GET', '/me/sessions');
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(loaded.length).toBe(before);
  });

  it('answers 401 to a malformed, expired, future-issued or foreign token', async () => {
    const expired = await signToken({ sub: 'student-bola', groups: ['student'] }, { dataDir, now: new Date(Date.now() - 24 * 3600 * 1000) });
    const future = await signToken({ sub: 'student-bola', groups: ['student'] }, { dataDir, now: new Date(Date.now() + 10 * 60_000) });
    const otherDir = mkdtempSync(join(tmpdir(), 'gateway-test-other-'));
    const foreign = await signToken({ sub: 'student-bola', groups: ['student'] }, { dataDir: otherDir });
    rmSync(otherDir, { recursive: true, force: true });
    for (const authorization of ['Bearer nonsense', 'Bearer ', `Bearer ${expired}`, `Bearer ${future}`, `Bearer ${foreign}`]) {
      const res = await call('GET', '/tutors', { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.json().error.code).toBe('UNAUTHORIZED');
    }
  });

  it('accepts the token without the Bearer prefix, as API Gateway does', async () => {
    const res = await call('GET', '/tutors', { headers: { authorization: await tokenFor('student-bola', ['student']) } });
    expect(res.status).toBe(200);
  });

  it('answers 404 to an unknown path', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/nope'],
      ['GET', '/tutors/me/extra'],
      ['DELETE', '/sessions/01J00000000000000000000000/unknown'],
    ] as const) {
      const res = await call(method, path, { headers: await bearer() });
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.headers.allow).toBeUndefined();
    }
  });

  it('answers 405 METHOD_NOT_ALLOWED with an Allow header to a known path with a method it does not take, before any token check and without calling a handler', async () => {
    const before = loaded.length;
    for (const [method, path, allow] of [
      ['DELETE', '/tutors', 'GET, OPTIONS'],
      ['GET', '/sessions', 'OPTIONS, POST'],
      ['PATCH', '/sessions/01J00000000000000000000000', 'GET, OPTIONS'],
      // /tutors/me is both PUT /tutors/me and GET /tutors/{tutorId}.
      ['POST', '/tutors/me', 'GET, OPTIONS, PUT'],
      ['HEAD', '/health', 'GET, OPTIONS'],
      ['POST', '/openapi.json', 'GET, OPTIONS'],
    ] as const) {
      for (const headers of [await bearer(), {}]) {
        const res = await call(method, path, { headers });
        expect({ method, path, status: res.status, allow: res.headers.allow }).toEqual({ method, path, status: 405, allow });
        if (method !== 'HEAD') expect(res.json()).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining(allow) } });
      }
    }
    expect(loaded.length).toBe(before);
  });

  it('answers a CORS preflight from an allowed origin', async () => {
    const res = await call('OPTIONS', '/sessions', {
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-methods']).toEqual(expect.stringContaining('POST'));
    expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('gives no CORS headers to a preflight from another origin', async () => {
    const res = await call('OPTIONS', '/sessions', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('adds CORS headers to responses for an allowed origin only, errors included', async () => {
    const allowed = await call('GET', '/tutors', { headers: { ...(await bearer()), origin: ORIGIN } });
    expect(allowed.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(allowed.headers.vary).toBe('origin');
    const unauthorized = await call('GET', '/tutors', { headers: { origin: ORIGIN } });
    expect(unauthorized.headers['access-control-allow-origin']).toBe(ORIGIN);
    const other = await call('GET', '/tutors', { headers: { ...(await bearer()), origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 413 to a 2 MiB body without calling the handler', async () => {
    const before = loaded.length;
    const body = Buffer.alloc(2 * 1024 * 1024, 'a');
    const res = await call('POST', '/sessions', { headers: await bearer(), body });
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(loaded.length).toBe(before);
  });

  it('reads an oversized body to its end before answering 413, so a client still sending it gets the 413, not a broken pipe', async () => {
    // fetch (undici) fails the whole exchange when its body cannot be written, answer or not.
    const headers = { ...(await bearer()), 'content-type': 'application/json' };
    for (let round = 0; round < 5; round++) {
      const res = await fetch(`http://127.0.0.1:${port}/sessions`, { method: 'POST', headers, body: JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }) });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers 413 to a 2 MiB chunked body without a content-length', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024, 'a');
    const res = await call('POST', '/sessions', { headers: await bearer(), body, chunked: true });
    expect(res.status).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers 500 like API Gateway when the handler throws, and logs the error', async () => {
    const res = await call('GET', '/tutors', { headers: { ...(await bearer()), 'x-test': 'throw' } });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    expect(errors).toContainEqual(expect.objectContaining({ message: 'boom' }));
  });

  it('gives every request its own ids, and the invocations of one function one log stream, as an execution environment has', async () => {
    const headers = await bearer();
    const answers = await Promise.all(Array.from({ length: 3 }, () => call('GET', '/sessions/01ARZ3NDEKTSV4RRFFQ69G5FAV', { headers })));
    const other = (await call('GET', '/me/sessions', { headers })).json().context;
    const got = answers.map((a) => a.json());
    expect(new Set(got.map((g) => g.event.requestContext.requestId)).size).toBe(3);
    expect(new Set(got.map((g) => g.context.awsRequestId)).size).toBe(3);
    for (const g of got) expect(g.event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{14}==$/);
    expect(new Set(got.map((g) => g.context.logStreamName))).toEqual(new Set([got[0].context.logStreamName]));
    expect(got[0].context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(other.logStreamName).not.toBe(got[0].context.logStreamName);
  });

  it('answers 503 like API Gateway when the handler does not answer within the integration timeout', async () => {
    const timeouts: string[] = [];
    const slow = createGateway({
      routes: ROUTES,
      loadHandler: async () => () => new Promise(() => {}),
      verify: async () => ({ sub: 'student-bola' }),
      allowedOrigins: [],
      timeoutMs: 20,
      log: false,
      logError: (message) => timeouts.push(message),
    });
    const slowPort = (await listen(slow, 0, '127.0.0.1')).port;
    try {
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: slowPort, path: '/health' }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ status: r.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(res).toEqual({ status: 503, text: JSON.stringify({ message: 'Service Unavailable' }) });
      expect(timeouts).toEqual(['GET /health: the handler did not answer within 20 ms']);
    } finally {
      await close(slow);
    }
  });

  it('turns a result without a statusCode into 200 JSON, as API Gateway does', async () => {
    const res = await call('GET', '/tutors', { headers: { ...(await bearer()), 'x-test': 'plain' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json()).toEqual({ hello: 'world' });
  });

  it('loads each handler module once', () => {
    expect(loaded.filter((h) => h === 'listTutors')).toHaveLength(1);
  });

  it('flattens claim values like Go prints them', () => {
    expect(stringifyClaim(['student', 'tutor'])).toBe('[student tutor]');
    expect(stringifyClaim([])).toBe('[]');
    expect(stringifyClaim(1700000000)).toBe('1700000000');
    expect(stringifyClaim(true)).toBe('true');
    expect(stringifyClaim({ b: 1, a: 'x' })).toBe('map[a:x b:1]');
  });
});

describe('the local gateway with the real handler modules', () => {
  let real: Server;
  let realPort: number;
  beforeAll(async () => {
    real = createGateway({ routes: ROUTES, verify: (token) => verifyToken(token, { dataDir }), allowedOrigins: [ORIGIN], log: false });
    realPort = (await listen(real, 0)).port;
  });
  afterAll(() => close(real));

  it('serves GET /health from functions/http/health.ts', async () => {
    const res = await fetch(`http://127.0.0.1:${realPort}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { table: 'ok' } });
  });

  it('fails to listen on a port in use with a clear message', async () => {
    const other = createGateway({ routes: ROUTES, verify: async () => ({}), allowedOrigins: [], log: false });
    await expect(listen(other, realPort)).rejects.toThrow(/already in use/);
  });
});
