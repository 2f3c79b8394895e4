/**
 * The OpenAPI document (docs/openapi.json) says what the server enforces: for each constrained
 * field, a value just outside the document's constraint is refused with 400 VALIDATION_FAILED
 * and one just inside is accepted, the values worked out from the document itself, sent to
 * the route's handler as API Gateway sends it, against DynamoDB Local.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as listTutors } from '../../functions/http/listTutors';
import { handler as listTutorSlots } from '../../functions/http/listTutorSlots';
import { handler as putMyTutorProfile } from '../../functions/http/putMyTutorProfile';
import { handler as setMeetingUrl } from '../../functions/http/setMeetingUrl';
import type { JsonSchema, OpenApiDocument, Operation, Parameter } from '../../infra/openapi';
import { ALL_WEEK, givenTutor, slot } from '../support/fixtures';
import { call, caller } from '../support/http';
import { givenSession } from '../support/sessions';
import { useTestTable } from '../support/table';

useTestTable();

const doc = JSON.parse(readFileSync(join(__dirname, '../../docs/openapi.json'), 'utf8')) as OpenApiDocument;

const operation = (method: string, path: string): Operation => doc.paths[path]![method.toLowerCase()]!;
const parameter = (op: Operation, name: string): Parameter => op.parameters!.find((p) => p.name === name)!;
/** The body schema's property at `keys` (through objects, and the string branch of a nullable). */
const bodyField = (op: Operation, ...keys: string[]): JsonSchema =>
  keys.reduce<JsonSchema>((schema, key) => (schema.properties as Record<string, JsonSchema>)[key]!, op.requestBody!.content['application/json']!.schema);
const num = (schema: JsonSchema, key: string): number => {
  expect(typeof schema[key]).toBe('number');
  return schema[key] as number;
};
const enumOf = (schema: JsonSchema): number[] => {
  expect(Array.isArray(schema.enum)).toBe(true);
  return schema.enum as number[];
};
/** A number next to a member of the enum that is not a member itself. */
const besides = (members: number[]): number[] => [members[0]! - 1, members[0]! + 1, members.at(-1)! + 1].filter((n) => !members.includes(n));

interface Res {
  status: number;
  body: any;
}
const refused = (res: Res, field: string) => {
  expect({ field, status: res.status, code: res.body?.error?.code }).toEqual({ field, status: 400, code: 'VALIDATION_FAILED' });
  expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
};
const accepted = (res: Res, field: string, status = 200) => expect({ field, status: res.status, error: res.body?.error }).toEqual({ field, status, error: undefined });

const TUTOR = 'oc-tutor';
const tutor = caller(TUTOR, 'tutor');
const profile = { displayName: 'Constraint Tutor', hourlyRate: { amount: 500_000, currency: 'NGN' }, durations: [60], bookingModes: ['REQUEST'], availability: ALL_WEEK };

describe('The OpenAPI document, driven through the server', () => {
  it('PUT /tutors/me: hourlyRate.amount is more than its exclusiveMinimum and at most its maximum', async () => {
    const amount = bodyField(operation('PUT', '/tutors/me'), 'hourlyRate', 'amount');
    const min = num(amount, 'exclusiveMinimum');
    const max = num(amount, 'maximum');
    const put = (value: number) => call(putMyTutorProfile, 'PUT /tutors/me', { as: tutor, body: { ...profile, hourlyRate: { amount: value, currency: 'NGN' } } });
    for (const outside of [min, max + 1]) refused(await put(outside), 'hourlyRate.amount');
    for (const inside of [min + 1, max]) accepted(await put(inside), 'hourlyRate.amount');
  });

  it('PUT /tutors/me: every duration is one of the enum, and every one of them is taken', async () => {
    const lengths = enumOf(bodyField(operation('PUT', '/tutors/me'), 'durations').items as JsonSchema);
    for (const outside of besides(lengths)) refused(await call(putMyTutorProfile, 'PUT /tutors/me', { as: tutor, body: { ...profile, durations: [outside] } }), 'durations.0');
    const res = await call(putMyTutorProfile, 'PUT /tutors/me', { as: tutor, body: { ...profile, durations: lengths } });
    accepted(res, 'durations');
    expect(res.body.durations).toEqual(lengths);
  });

  it('POST /sessions: durationMinutes is one of the enum, and a tutor offering them all can be booked for each', async () => {
    const lengths = enumOf(bodyField(operation('POST', '/sessions'), 'durationMinutes'));
    await givenTutor(TUTOR, { durations: lengths, bookingModes: ['REQUEST'] });
    const book = (durationMinutes: number, i: number) =>
      call(createSession, 'POST /sessions', {
        as: caller(`oc-student-${durationMinutes}-${i}`, 'student'),
        body: { tutorId: TUTOR, scheduledAt: slot(3 + i), durationMinutes, title: 'Constraints', bookingMode: 'REQUEST' },
      });
    for (const outside of besides(lengths)) refused(await book(outside, 0), 'durationMinutes');
    for (const [i, inside] of lengths.entries()) accepted(await book(inside, i), `durationMinutes ${inside}`, 201);
  });

  it('GET /tutors/{tutorId}/slots: durationMinutes is one of the enum; `to` is after `from` (x-after) and at most x-maxDaysAfter days after it', async () => {
    const op = operation('GET', '/tutors/{tutorId}/slots');
    const lengths = enumOf(parameter(op, 'durationMinutes').schema);
    const to = parameter(op, 'to');
    expect(to['x-after']).toBe('from');
    const maxDays = to['x-maxDaysAfter'] as number;
    expect(typeof maxDays).toBe('number');
    await givenTutor(TUTOR, { durations: lengths });
    const from = new Date(slot(2));
    const later = (ms: number) => new Date(from.getTime() + ms).toISOString();
    const slots = (q: { to: string; durationMinutes: number }) =>
      call(listTutorSlots, 'GET /tutors/{tutorId}/slots', {
        as: caller('oc-viewer', 'student'),
        pathParameters: { tutorId: TUTOR },
        query: { from: from.toISOString(), to: q.to, durationMinutes: String(q.durationMinutes) },
      });
    const day = 86_400_000;

    for (const outside of besides(lengths)) refused(await slots({ to: later(day), durationMinutes: outside }), 'query.durationMinutes');
    for (const inside of lengths) accepted(await slots({ to: later(day), durationMinutes: inside }), `durationMinutes ${inside}`);

    for (const outside of [later(0), later(-1), later(maxDays * day + 1)]) refused(await slots({ to: outside, durationMinutes: lengths[0]! }), 'query.to');
    for (const inside of [later(1), later(maxDays * day)]) accepted(await slots({ to: inside, durationMinutes: lengths[0]! }), `to ${inside}`);
  });

  it('every list: cursor is at least minLength and at most maxLength long; a real next cursor is inside both', async () => {
    const withCursor = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => op.parameters?.some((p) => p.name === 'cursor'))
        .map(([method, op]) => ({ routeKey: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(withCursor.length).toBeGreaterThanOrEqual(6);
    const everyone = caller('oc-everyone', 'student', 'tutor', 'admin');
    for (const { routeKey, op } of withCursor) {
      const { handler } = (await import(`../../functions/http/${op.operationId}`)) as { handler: unknown };
      const cursor = parameter(op, 'cursor').schema;
      // The other required parameters, from the document too.
      const required = Object.fromEntries(op.parameters!.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, String((p.schema.enum as unknown[])[0])]));
      for (const outside of ['x'.repeat(num(cursor, 'minLength') - 1), 'x'.repeat(num(cursor, 'maxLength') + 1)]) {
        refused(await call(handler, routeKey, { as: everyone, query: { ...required, cursor: outside } }), 'query.cursor');
      }
    }
    // Inside: the cursor the server hands out for the next page (two tutors exist by now).
    await givenTutor('oc-tutor-2');
    const first = await call(listTutors, 'GET /tutors', { as: everyone, query: { limit: '1' } });
    const next = first.body.nextCursor as string;
    const cursor = parameter(operation('GET', '/tutors'), 'cursor').schema;
    expect(next.length).toBeGreaterThanOrEqual(num(cursor, 'minLength'));
    expect(next.length).toBeLessThanOrEqual(num(cursor, 'maxLength'));
    accepted(await call(listTutors, 'GET /tutors', { as: everyone, query: { limit: '1', cursor: next } }), 'cursor');
  });

  it('PUT /sessions/{sessionId}/meeting-url: meetingUrl matches the pattern (https, no credentials) and is at most maxLength long', async () => {
    const field = bodyField(operation('PUT', '/sessions/{sessionId}/meeting-url'), 'meetingUrl');
    const pattern = new RegExp(field.pattern as string, 'u');
    const max = num(field, 'maxLength');
    const base = 'https://meet.example.com/';
    const ofLength = (n: number) => `${base}${'r'.repeat(n - base.length)}`;
    const outside = ['http://meet.example.com/room', 'https://ada:secret@meet.example.com/room', 'ftp://meet.example.com/room', ofLength(max + 1)];
    const inside = [`${base}room?pwd=x`, ofLength(max)];
    // The values are judged by the document first, then by the server.
    for (const v of outside) expect({ v, fits: pattern.test(v) && v.length <= max }).toEqual({ v, fits: false });
    for (const v of inside) expect({ v, fits: pattern.test(v) && v.length <= max }).toEqual({ v, fits: true });

    const session = await givenSession('oc-student', TUTOR);
    const put = (meetingUrl: string) =>
      call(setMeetingUrl, 'PUT /sessions/{sessionId}/meeting-url', { as: tutor, pathParameters: { sessionId: session.id }, body: { meetingUrl } });
    for (const v of outside) refused(await put(v), 'meetingUrl');
    for (const v of inside) accepted(await put(v), 'meetingUrl');
  });
});
