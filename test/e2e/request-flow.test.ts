/**
 * End to end, like the web frontend: boots `npm start`'s local stack and drives the REQUEST
 * flow over HTTP: request, the tutor's approvals view, approve and reject, the student's
 * views, stats, the authorization matrix and input no client should send.
 */
import { buildOpenApi } from '../../infra/openapi';
import { slotIn, useLocalStack } from '../support/local-stack';
import { allPages, useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'request-flow');

const request = (as: string, scheduledAt: string, extra: Record<string, unknown> = {}) =>
  stack.api('POST', '/sessions', {
    as,
    body: { tutorId: u.ada, scheduledAt, durationMinutes: 60, title: 'System design review', bookingMode: 'REQUEST', ...extra },
  });

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((s) => s.id);

describe('Given the local stack with its demo data', () => {
  it('answers /health without a token and refuses the API without one', async () => {
    expect(await stack.api('GET', '/health')).toEqual({ status: 200, body: { status: 'ok', checks: { table: 'ok' } } });
    const anon = await stack.api('GET', '/tutors');
    expect(anon.status).toBe(401);
    const forged = await stack.api('GET', '/tutors', { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' } });
    expect(forged.status).toBe(401);
  });

  it('serves the OpenAPI document at /openapi.json without a token', async () => {
    const res = await fetch(`${stack.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(await buildOpenApi());
  });

  it('lists the demo tutors with their rates', async () => {
    // The shared stack holds other files' tutors too: the seeded demo tutors and this file's are there.
    expect((await allPages(stack, '/tutors', u.bola)).map((t) => t.id)).toEqual(expect.arrayContaining(['tutor-ada', 'tutor-tunde', u.ada, u.tunde]));
    const ada = await stack.api('GET', '/tutors/tutor-ada', { as: u.bola });
    expect(ada.body.hourlyRate).toEqual({ amount: expect.any(Number), currency: 'NGN' });
  });
});

describe('The REQUEST flow', () => {
  it('goes request → tutor approvals → approve → student ready for payment, with stats', async () => {
    const before = (await stack.api('GET', '/tutor/stats', { as: u.ada })).body;
    const created = await request(u.bola, slotIn(20, 9));
    expect(created.status).toBe(201);
    const id = created.body.session.id;
    expect(created.body.session).toMatchObject({
      status: 'PENDING_MENTOR_REVIEW',
      paymentStatus: 'PENDING',
      student: { id: u.bola },
      tutor: { id: u.ada, displayName: 'Ada Okafor' },
    });

    expect(ids(await stack.api('GET', '/me/sessions?view=awaiting-approval', { as: u.bola }))).toContain(id);
    expect(ids(await stack.api('GET', '/tutor/sessions?view=approvals', { as: u.ada }))).toContain(id);
    const stats = (await stack.api('GET', '/tutor/stats', { as: u.ada })).body;
    expect(stats.pendingApprovals).toBe(before.pendingApprovals + 1);

    const page = await stack.api('GET', `/sessions/${id}`, { as: u.bola });
    expect(page.body).toMatchObject({ id, isLive: false });
    expect(page.body.startsInSeconds).toBeGreaterThan(19 * 86_400);

    const approved = await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'SCHEDULED', paymentStatus: 'PENDING' });
    expect(ids(await stack.api('GET', '/me/sessions?view=ready-for-payment', { as: u.bola }))).toContain(id);
    expect(ids(await stack.api('GET', '/me/sessions?view=upcoming', { as: u.bola }))).toContain(id);
    expect(ids(await stack.api('GET', '/tutor/sessions?view=pending', { as: u.ada }))).toContain(id);
    const after = (await stack.api('GET', '/tutor/stats', { as: u.ada })).body;
    expect(after).toMatchObject({ pendingApprovals: before.pendingApprovals, pending: before.pending + 1 });
  });

  it('goes request → reject with a reason → student rejected view, and the slot is free again', async () => {
    const at = slotIn(21, 9);
    const id = (await request(u.chidi, at)).body.session.id;
    const noReason = await stack.api('POST', `/sessions/${id}/reject`, { as: u.ada, body: { reason: '' } });
    expect(noReason.status).toBe(400);
    const rejected = await stack.api('POST', `/sessions/${id}/reject`, { as: u.ada, body: { reason: 'Travelling that week' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', approvalNotes: 'Travelling that week' });
    const view = await stack.api('GET', '/me/sessions?view=rejected', { as: u.chidi });
    expect(view.body.items.find((s: { id: string }) => s.id === id)).toMatchObject({ approvalNotes: 'Travelling that week' });
    expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada })).status).toBe(409);
    expect((await request(u.bola, at)).status).toBe(201);
  });

  it('gives exactly one of 16 simultaneous bookings of one slot, and 409 SLOT_UNAVAILABLE to the rest', async () => {
    const at = slotIn(22, 15);
    const students = Array.from({ length: 16 }, (_, i) => `racer-${i}`);
    await Promise.all(students.map((s) => stack.token(s))); // signed up front, so the requests race
    const results = await Promise.all(students.map((s) => request(s, at)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    const losers = results.filter((r) => r.status !== 201);
    expect(losers).toHaveLength(15);
    expect(losers.every((r) => r.status === 409 && r.body.error.code === 'SLOT_UNAVAILABLE')).toBe(true);
  });

  it('leaves one winner and a matching state when approve and reject race', async () => {
    const id = (await request(u.bola, slotIn(23, 11))).body.session.id;
    const [a, r] = await Promise.all([
      stack.api('POST', `/sessions/${id}/approve`, { as: u.ada }),
      stack.api('POST', `/sessions/${id}/reject`, { as: u.ada, body: { reason: 'no' } }),
    ]);
    expect([a.status, r.status].sort()).toEqual([200, 409]);
    const s = await stack.api('GET', `/sessions/${id}`, { as: u.ada });
    expect(s.body.status).toBe(a.status === 200 ? 'SCHEDULED' : 'REJECTED');
  });
});

describe('Authorization', () => {
  it('answers 404 to outsiders, 403 to the wrong role, and lets admins see', async () => {
    const id = (await request(u.bola, slotIn(24, 9))).body.session.id;
    expect((await stack.api('GET', `/sessions/${id}`, { as: u.chidi })).status).toBe(404);
    expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.tunde })).status).toBe(404);
    expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.bola })).status).toBe(403);
    expect((await stack.api('GET', `/sessions/${id}`, { as: u.admin })).status).toBe(200);
    expect((await stack.api('GET', '/admin/sessions?status=PENDING_MENTOR_REVIEW', { as: u.bola })).status).toBe(403);
    // Every page: the shared stack holds other files' requests too.
    expect((await allPages(stack, '/admin/sessions?status=PENDING_MENTOR_REVIEW', u.admin)).map((s) => s.id)).toContain(id);
    expect((await stack.api('GET', '/tutor/stats', { as: u.bola })).status).toBe(403);
    expect((await stack.api('PUT', '/tutors/me', { as: u.bola, body: {} })).status).toBe(403);
  });
});

describe('Input no client should send', () => {
  it('gets a 4xx with a stable code, never a 5xx, and changes nothing', async () => {
    const before = (await stack.api('GET', '/me/sessions?view=awaiting-approval&limit=100', { as: u.chidi })).body.items.length;
    const attempts = [
      await stack.api('POST', '/sessions', { as: u.chidi, rawBody: '{"tutorId":' }),
      await stack.api('POST', '/sessions', { as: u.chidi, rawBody: 'tutorId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      await request(u.chidi, slotIn(25), { admin: true }),
      await request(u.chidi, '2020-01-01T10:00:00Z'),
      await request(u.chidi, slotIn(25), { durationMinutes: 'sixty' }),
      await request(u.chidi, slotIn(25), { tutorId: '../../admin' }),
      await stack.api('POST', '/sessions', { as: u.chidi, body: { title: 'x'.repeat(2 * 1024 * 1024) } }),
      await stack.api('GET', '/sessions/%2e%2e%2f%2e%2e', { as: u.chidi }),
      await stack.api('GET', `/sessions/${'A'.repeat(5000)}`, { as: u.chidi }),
      await stack.api('GET', '/me/sessions?view=upcoming&cursor=eyJwayI6IlNFU1NJT04jMSJ9', { as: u.chidi }),
      await stack.api('GET', '/me/sessions?view=upcoming&limit=100000', { as: u.chidi }),
      await stack.api('GET', '/me/sessions?view=upcoming&view=history', { as: u.chidi }),
      await stack.api('POST', '/sessions/01JD0000000000000000000000/reject', { as: u.ada, body: { reason: 'x', extra: 1 } }),
    ];
    for (const res of attempts) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
    }
    const after = (await stack.api('GET', '/me/sessions?view=awaiting-approval&limit=100', { as: u.chidi })).body.items.length;
    expect(after).toBe(before);
  });
});
