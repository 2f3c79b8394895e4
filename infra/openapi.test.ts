/**
 * The OpenAPI document: every route described with its security, structurally sound OpenAPI
 * 3.1 (every path parameter declared, every $ref resolving, every schema valid JSON Schema
 * 2020-12), the committed docs/openapi.json equal to a fresh build, and every sample event in
 * events/ valid against it — so the examples, the schemas and the description agree.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { NotFoundError, ValidationError } from '../shared/domain/errors';
import { ROUTES, routeKey } from '../shared/http/routes';
import { contractOf, ContractViolation } from '../test/support/contract';
import { buildOpenApi, importContract, OPENAPI_FILE, renderOpenApi, ROUTE_DOCS, SECURITY_SCHEME, type JsonSchema, type OpenApiDocument, type Operation } from './openapi';

const ROOT = resolve(process.cwd());

let doc: OpenApiDocument;
beforeAll(async () => {
  doc = await buildOpenApi();
});

const operationOf = (method: string, path: string): Operation | undefined => doc.paths[path]?.[method.toLowerCase()];

const operations = (): [string, string, Operation][] =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]): [string, string, Operation] => [method.toUpperCase(), path, op]));

/** Bodies are validated as sent; parameters arrive as strings and are read per their schema (OpenAPI's form style). */
const ajv = (coerceTypes: boolean) => {
  const a = new Ajv2020({ allErrors: true, coerceTypes });
  addFormats(a);
  return a;
};
const bodies = ajv(false);
const params = ajv(true);

const resolvePointer = (root: unknown, ref: string): unknown =>
  ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), root);

const refsIn = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
};

const pathParamNames = (path: string) => [...path.matchAll(/\{([A-Za-z0-9_]+)\+?\}/g)].map((m) => m[1]!);

describe('The OpenAPI document', () => {
  it('describes every route of the route table, and nothing else', () => {
    for (const r of ROUTES) expect({ route: routeKey(r), described: operationOf(r.method, r.path) !== undefined }).toEqual({ route: routeKey(r), described: true });
    expect(
      operations()
        .map(([m, p]) => `${m} ${p}`)
        .sort(),
    ).toEqual(ROUTES.map(routeKey).sort());
    // Summaries and success answers are written by hand: one for each route, none left over.
    expect(Object.keys(ROUTE_DOCS).sort()).toEqual(ROUTES.map((r) => r.handler).sort());
  });

  it('builds each handler from its own entry of the route table, so it admits the callers that entry declares', async () => {
    for (const r of ROUTES) expect({ handler: r.handler, ownEntry: (await importContract(r)).route === r }).toEqual({ handler: r.handler, ownEntry: true });
  });

  it('asks for the Cognito bearer token on authenticated routes, with their roles, and for nothing on health and webhooks', async () => {
    expect(doc.components).toMatchObject({ securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } });
    for (const r of ROUTES) {
      const op = operationOf(r.method, r.path)!;
      if (r.authBy !== 'jwt') {
        expect({ route: routeKey(r), security: op.security }).toEqual({ route: routeKey(r), security: [] });
        continue;
      }
      const roles = r.roles ?? [];
      const expected = roles.length ? roles.map((role) => ({ [SECURITY_SCHEME]: [role] })) : [{ [SECURITY_SCHEME]: [] }];
      expect({ route: routeKey(r), security: op.security }).toEqual({ route: routeKey(r), security: expected });
      expect(Object.keys(op.responses)).toContain('401');
      if (roles.length) expect(Object.keys(op.responses)).toContain('403');
    }
    expect(operationOf('GET', '/tutor/stats')!.security).toEqual([{ [SECURITY_SCHEME]: ['tutor'] }]);
  });

  it('is structurally OpenAPI 3.1: path parameters declared, operation ids unique, a success answer each, every $ref resolving', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version });
    const ids = operations().map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [method, path, op] of operations()) {
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect({ op: `${method} ${path}`, path: declared.map((p) => p.name).sort() }).toEqual({ op: `${method} ${path}`, path: pathParamNames(path).sort() });
      for (const p of declared) expect(p.required).toBe(true);
      const names = (op.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(new Set(names).size).toBe(names.length);
      expect(Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s))).toHaveLength(1);
    }
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref.startsWith('#/')).toBe(true);
      expect({ ref, resolves: resolvePointer(doc, ref) !== undefined }).toEqual({ ref, resolves: true });
    }
  });

  it('has only valid JSON Schema 2020-12 for parameters, bodies, answers and components', () => {
    // Compiled where they are in the document, so their $refs to components resolve.
    const inDoc = new Ajv2020({ allErrors: true, strict: false });
    addFormats(inDoc);
    inDoc.addSchema(doc, 'doc');
    const at = (...parts: string[]) => `doc#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    const pointers = Object.keys((doc.components as { schemas: Record<string, JsonSchema> }).schemas).map((name) => at('components', 'schemas', name));
    for (const [method, path, op] of operations()) {
      const m = method.toLowerCase();
      (op.parameters ?? []).forEach((_, i) => pointers.push(at('paths', path, m, 'parameters', String(i), 'schema')));
      if (op.requestBody) pointers.push(at('paths', path, m, 'requestBody', 'content', 'application/json', 'schema'));
      for (const [status, r] of Object.entries(op.responses))
        for (const media of Object.keys((r as { content?: object }).content ?? {})) pointers.push(at('paths', path, m, 'responses', status, 'content', media, 'schema'));
    }
    expect(pointers.length).toBeGreaterThan(50);
    for (const ref of pointers) expect({ ref, compiles: (() => (inDoc.compile({ $ref: ref }), true))() }).toEqual({ ref, compiles: true });
  });

  it('describes every success answer with a schema from the code, tags every operation with a declared tag, and names the license', () => {
    const declared = (doc.tags as { name: string; description: string }[]).map((t) => t.name);
    for (const [method, path, op] of operations()) {
      const success = Object.entries(op.responses).filter(([s]) => /^2\d\d$/.test(s));
      for (const [status, r] of success) {
        const content = (r as { content?: Record<string, { schema: JsonSchema }> }).content ?? {};
        // A file (text/calendar) is a string; a JSON answer an object.
        const file = Object.keys(content).find((t) => t !== 'application/json');
        const schema = content['application/json']?.schema ?? (file ? content[file]!.schema : undefined);
        const described = file ? schema?.type === 'string' : schema && (schema.$ref !== undefined || schema.properties !== undefined || schema.anyOf !== undefined);
        expect({ op: `${method} ${path} ${status}`, schema: described }).toEqual({
          op: `${method} ${path} ${status}`,
          schema: true,
        });
      }
      expect(op.tags).toHaveLength(1);
      expect(declared).toContain(op.tags[0]);
    }
    expect(operationOf('POST', '/sessions')!.responses['201']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Booking' } } } });
    expect(doc.info).toMatchObject({ license: { name: 'MIT', identifier: 'MIT' } });
  });

  it('rejects unknown body fields as the handlers do (strict zod objects give additionalProperties: false)', () => {
    const body = operationOf('POST', '/sessions')!.requestBody!;
    expect(body.required).toBe(true);
    expect(body.content['application/json']!.schema).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['tutorId', 'scheduledAt']) });
    // An empty body is allowed where the schema is optional (approve, payment).
    expect(operationOf('POST', '/sessions/{sessionId}/approve')!.requestBody!.required).toBe(false);
  });

  it('documents the Paystack webhook’s signature header as required, and its body as the handler reads it', () => {
    const op = operationOf('POST', '/webhooks/paystack')!;
    expect(op.parameters).toEqual([expect.objectContaining({ name: 'x-paystack-signature', in: 'header', required: true, schema: { type: 'string' } })]);
    expect(op.requestBody!.content['application/json']!.schema).toMatchObject({ type: 'object', required: ['event', 'data'] });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
  });

  it('describes the error format the code produces', () => {
    const isError = bodies.compile((doc.components as { schemas: { Error: JsonSchema } }).schemas.Error);
    expect(isError(new ValidationError('Invalid body', [{ path: 'scheduledAt', message: 'Invalid' }]).toJSON())).toBe(true);
    expect(isError(new NotFoundError('No such session').toJSON())).toBe(true);
    expect(isError({ error: { code: 'INTERNAL', message: 'Something went wrong on our side' } })).toBe(true);
    expect(isError({ message: 'Internal Server Error' })).toBe(false);
  });

  it(`is what ${OPENAPI_FILE} holds (run npm run openapi after changing a route or a schema)`, () => {
    expect(readFileSync(join(ROOT, OPENAPI_FILE), 'utf8')).toBe(renderOpenApi(doc));
  });
});

// ---------------------------------------------------------------- the examples

interface SampleEvent {
  routeKey: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

/** What is wrong with an API Gateway v2 event, judged by the document; [] when it is valid. */
const problems = (op: Operation, e: SampleEvent): string[] => {
  const found: string[] = [];
  const given: Record<'path' | 'query' | 'header', Record<string, string>> = {
    path: e.pathParameters ?? {},
    query: e.queryStringParameters ?? {},
    header: Object.fromEntries(Object.entries(e.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
  };
  const declared = op.parameters ?? [];
  for (const p of declared) {
    const value = given[p.in][p.in === 'header' ? p.name.toLowerCase() : p.name];
    if (value === undefined) {
      if (p.required) found.push(`${p.in} ${p.name} is missing`);
      continue;
    }
    const check = params.compile(p.schema);
    if (!check(value)) found.push(`${p.in} ${p.name}: ${params.errorsText(check.errors)}`);
  }
  // Unknown path and query parameters are a 400 (strict schemas); headers are open.
  for (const where of ['path', 'query'] as const) {
    for (const name of Object.keys(given[where])) if (!declared.some((p) => p.in === where && p.name === name)) found.push(`${where} ${name} is not declared`);
  }
  const raw = e.body === undefined || e.body === '' ? undefined : Buffer.from(e.body, e.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  if (raw === undefined) {
    if (op.requestBody?.required) found.push('the body is missing');
  } else if (!op.requestBody) {
    found.push('a body is sent where none is described');
  } else {
    const check = bodies.compile(op.requestBody.content['application/json']!.schema);
    if (!check(JSON.parse(raw))) found.push(`body: ${bodies.errorsText(check.errors)}`);
  }
  return found;
};

const EVENTS_DIR = join(ROOT, 'events');
const httpEvents = readdirSync(EVENTS_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, event: JSON.parse(readFileSync(join(EVENTS_DIR, file), 'utf8')) as SampleEvent & { version?: string } }))
  // The WebSocket samples have no route key of the HTTP API.
  .filter(({ event }) => event.version === '2.0' && typeof event.routeKey === 'string');

describe('The sample events in events/', () => {
  it('cover every route', () => {
    expect(new Set(httpEvents.map(({ event }) => event.routeKey))).toEqual(new Set(ROUTES.map(routeKey)));
  });

  it.each(httpEvents.map(({ file, event }) => [file, event] as const))('%s is valid against the document', (_file, event) => {
    const [method, path] = event.routeKey.split(' ') as [string, string];
    const op = operationOf(method, path);
    expect(op).toBeDefined();
    expect(problems(op!, event)).toEqual([]);
  });

  it('would not be, with an unknown field, an unknown query parameter, a bad path parameter or a missing signature (the check has teeth)', () => {
    const sample = (name: string) => httpEvents.find(({ file }) => file === `${name}.json`)!.event;
    const booking = sample('createSession');
    expect(problems(operationOf('POST', '/sessions')!, { ...booking, body: JSON.stringify({ ...JSON.parse(booking.body!), coupon: 'FREE' }) })).toEqual([
      expect.stringContaining('additional properties'),
    ]);
    const slots = sample('listTutorSlots');
    const slotsOp = operationOf('GET', '/tutors/{tutorId}/slots')!;
    expect(problems(slotsOp, { ...slots, queryStringParameters: { ...slots.queryStringParameters, tz: 'UTC' } })).toEqual(['query tz is not declared']);
    expect(problems(slotsOp, { ...slots, queryStringParameters: { ...slots.queryStringParameters, durationMinutes: 'sixty' } })).toEqual([
      expect.stringContaining('query durationMinutes'),
    ]);
    const session = sample('getSession');
    expect(problems(operationOf('GET', '/sessions/{sessionId}')!, { ...session, pathParameters: { sessionId: 'not-a-ulid' } })).toEqual([
      expect.stringContaining('path sessionId'),
    ]);
    const webhook = sample('paystackWebhook');
    const { 'x-paystack-signature': _signature, ...unsigned } = webhook.headers!;
    expect(problems(operationOf('POST', '/webhooks/paystack')!, { ...webhook, headers: unsigned })).toEqual(['header x-paystack-signature is missing']);
  });
});

// ---------------------------------------------------------------- the answers' check (test/support/contract.ts)

describe('Holding answers to the document', () => {
  const session = {
    id: '01JD0000000000000000000000',
    studentId: 's1',
    tutorId: 't1',
    student: { id: 's1', displayName: 'Bola' },
    tutor: { id: 't1', displayName: 'Ada' },
    title: 'TypeScript',
    notes: null,
    scheduledAt: '2030-01-01T10:00:00.000Z',
    durationMinutes: 60,
    price: { amount: 500000, currency: 'NGN' },
    bookingMode: 'REQUEST',
    status: 'PENDING_MENTOR_REVIEW',
    paymentStatus: 'PENDING',
    meetingUrl: null,
    approvalNotes: null,
    rejectedAt: null,
    approvalDeadline: '2029-12-31T10:00:00.000Z',
    createdAt: '2029-12-28T10:00:00.000Z',
    updatedAt: '2029-12-28T10:00:00.000Z',
  };
  const answer = (status: number, body: unknown, path = '/sessions', method = 'POST') => ({ method, path, status, body: body === undefined ? '' : JSON.stringify(body) });

  it('accepts what the code answers, on concrete paths and templates alike', () => {
    const contract = contractOf(doc);
    expect(contract.problems(answer(201, { session }))).toEqual([]);
    expect(contract.problems(answer(200, { ...session, isLive: false, startsInSeconds: 10 }, `/sessions/${session.id}`, 'GET'))).toEqual([]);
    expect(contract.problems(answer(404, new NotFoundError('No such session').toJSON(), '/sessions/{sessionId}', 'GET'))).toEqual([]);
    expect(contract.templateOf('PUT', '/tutors/me')).toBe('/tutors/me');
    expect(contract.templateOf('GET', '/tutors/me')).toBe('/tutors/{tutorId}');
  });

  it('refuses a missing or undocumented field, a wrong type, an unlisted status and an unknown route', () => {
    const contract = contractOf(doc);
    const { title: _title, ...untitled } = session;
    expect(contract.problems(answer(201, { session: untitled }))).toEqual([expect.stringContaining("must have required property 'title'")]);
    expect(contract.problems(answer(201, { session: { ...session, coupon: 'FREE' } }))).toEqual([expect.stringContaining('must NOT have additional properties')]);
    expect(contract.problems(answer(201, { session: { ...session, price: { amount: '5000', currency: 'NGN' } } }))).toEqual([expect.stringContaining('/session/price/amount')]);
    expect(contract.problems(answer(200, { session }))).toEqual([expect.stringContaining('200 is not an answer of POST /sessions')]);
    expect(contract.problems(answer(200, {}, '/sessions/x/nothing', 'GET'))).toEqual([expect.stringContaining('no operation GET /sessions/x/nothing')]);
    expect(() => contract.assertDescribed(answer(201, { session: untitled }))).toThrow(ContractViolation);
  });
});
