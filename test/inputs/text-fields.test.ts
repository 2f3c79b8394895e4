/**
 * Free text that people type (titles, notes, reasons, comments, names, bios) is text: no NUL
 * or other control character but line feed and tab, no unpaired surrogate. Anything else is a
 * 400 VALIDATION_FAILED naming the field, on every route that takes such a field, and the
 * OpenAPI document says so (the pattern of `text` in shared/schemas/common.ts) for every
 * free-text field there is.
 */
import { ulid } from 'ulid';
import { handler as applyToTutor } from '../../functions/http/applyToTutor';
import { handler as cancelSession } from '../../functions/http/cancelSession';
import { handler as declineTutorApplication } from '../../functions/http/declineTutorApplication';
import { handler as createSession } from '../../functions/http/createSession';
import { handler as putMyTutorProfile } from '../../functions/http/putMyTutorProfile';
import { handler as rejectSession } from '../../functions/http/rejectSession';
import { handler as reviewSession } from '../../functions/http/reviewSession';
import { buildOpenApi, type JsonSchema } from '../../infra/openapi';
import { TEXT_PATTERN } from '../../shared/schemas/common';
import { call, caller } from '../support/http';
import { useTestTable } from '../support/table';

useTestTable();

const profile = {
  displayName: 'Ada Okafor',
  bio: 'TypeScript',
  hourlyRate: { amount: 500_000, currency: 'NGN' },
  durations: [60],
  bookingModes: ['REQUEST'],
};
const booking = { tutorId: 'tutor-ada', scheduledAt: '2030-01-07T10:00:00Z', durationMinutes: 60, title: 'System design', notes: 'Queues', bookingMode: 'REQUEST' };
const sessionId = ulid();

/** Every free-text field of every route: how to send a value in it. */
const FIELDS: { field: string; send: (value: string) => Promise<{ status: number; body: any }> }[] = [
  { field: 'title', send: (v) => call(createSession, 'POST /sessions', { as: caller('bola', 'student'), body: { ...booking, title: v } }) },
  { field: 'notes', send: (v) => call(createSession, 'POST /sessions', { as: caller('bola', 'student'), body: { ...booking, notes: v } }) },
  { field: 'reason', send: (v) => call(rejectSession, 'POST /sessions/{sessionId}/reject', { as: caller('ada', 'tutor'), pathParameters: { sessionId }, body: { reason: v } }) },
  { field: 'reason', send: (v) => call(cancelSession, 'POST /sessions/{sessionId}/cancel', { as: caller('bola', 'student'), pathParameters: { sessionId }, body: { reason: v } }) },
  {
    field: 'comment',
    send: (v) => call(reviewSession, 'POST /sessions/{sessionId}/review', { as: caller('bola', 'student'), pathParameters: { sessionId }, body: { rating: 5, comment: v } }),
  },
  { field: 'displayName', send: (v) => call(putMyTutorProfile, 'PUT /tutors/me', { as: caller('ada', 'tutor'), body: { ...profile, displayName: v } }) },
  { field: 'bio', send: (v) => call(putMyTutorProfile, 'PUT /tutors/me', { as: caller('ada', 'tutor'), body: { ...profile, bio: v } }) },
  { field: 'displayName', send: (v) => call(applyToTutor, 'POST /me/tutor-application', { as: caller(`applicant-${ulid()}`, 'student'), body: { ...profile, displayName: v } }) },
  { field: 'bio', send: (v) => call(applyToTutor, 'POST /me/tutor-application', { as: caller(`applicant-${ulid()}`, 'student'), body: { ...profile, bio: v } }) },
  {
    field: 'reason',
    send: (v) =>
      call(declineTutorApplication, 'POST /admin/tutor-applications/{userId}/decline', {
        as: caller('zainab', 'admin'),
        pathParameters: { userId: 'applicant' },
        body: { reason: v },
      }),
  },
];

/** Control characters (C0 but tab and line feed, carriage return included; DEL; C1) and unpaired surrogates. */
const REFUSED: [string, string][] = [
  ['NUL', 'Ada\u0000Okafor'],
  ['BEL', 'Ada\u0007'],
  ['ESC (a terminal escape)', '\u001b[31mAda'],
  ['carriage return', 'line one\r\nline two'],
  ['vertical tab', 'Ada\u000bOkafor'],
  ['DEL', 'Ada\u007f'],
  ['C1 next line', 'Ada\u0085Okafor'],
  ['a lone high surrogate', 'Ada \ud83d'],
  ['a lone low surrogate', '\ude00 Ada'],
  ['two surrogates in the wrong order', 'Ada \ude00\ud83d'],
];

describe('A free-text field', () => {
  it.each(REFUSED)('refuses %s with 400 VALIDATION_FAILED naming the field, on every route that takes free text', async (_what, value) => {
    for (const { field, send } of FIELDS) {
      const res = await send(value);
      expect({ field, status: res.status, code: res.body?.error?.code }).toEqual({ field, status: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.error.details).toEqual([{ path: field, message: expect.stringMatching(/control characters/) }]);
    }
  });

  it('keeps line feeds, tabs, accents and emoji (a surrogate pair) as they were sent', async () => {
    const bio = 'Line one\n\tindented: Ẹ̀kọ́ ìṣirò 😀\nLine three';
    const res = await call(putMyTutorProfile, 'PUT /tutors/me', { as: caller('ada', 'tutor'), body: { ...profile, displayName: 'Adé Ọkafọ 👩🏾‍💻', bio } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Adé Ọkafọ 👩🏾‍💻', bio });
  });

  it('is described in the OpenAPI document: every string a person types into a body carries the text pattern', async () => {
    const doc = await buildOpenApi();
    const free: string[] = [];
    const constrained: string[] = [];
    const walk = (schema: JsonSchema, at: string) => {
      for (const branch of (schema.anyOf as JsonSchema[] | undefined) ?? []) walk(branch, at);
      if (schema.type === 'object') for (const [name, s] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) walk(s, `${at}.${name}`);
      if (schema.type === 'array' && schema.items) walk(schema.items as JsonSchema, `${at}[]`);
      if (schema.type !== 'string') return;
      if (schema.pattern === TEXT_PATTERN.source) free.push(at);
      // Anything else must say what it takes: a format, an enum or a pattern of its own.
      else if (schema.format === undefined && schema.enum === undefined && schema.pattern === undefined) constrained.push(at);
    };
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        // Webhook bodies are the providers' own, read raw and checked by signature.
        if (op.requestBody && op.requestBody.description === undefined) walk(op.requestBody.content['application/json']!.schema, `${method.toUpperCase()} ${path}`);
      }
    }
    expect(constrained).toEqual([]);
    expect(free.sort()).toEqual(
      [
        'POST /sessions.title',
        'POST /sessions.notes',
        'POST /sessions/{sessionId}/reject.reason',
        'POST /sessions/{sessionId}/cancel.reason',
        'POST /sessions/{sessionId}/review.comment',
        'PUT /tutors/me.displayName',
        'PUT /tutors/me.bio',
        'POST /me/tutor-application.displayName',
        'POST /me/tutor-application.bio',
        'POST /admin/tutor-applications/{userId}/decline.reason',
      ].sort(),
    );
  });
});
