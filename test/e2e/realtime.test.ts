/**
 * Live notifications over the local stack's WebSocket API with real `ws` clients: a tutor
 * with two open connections gets REQUEST_RECEIVED on both; the student gets REQUEST_APPROVED
 * after one of the tutor's connections closed; nobody else gets either, and nobody gets one
 * twice. A bad token is refused at connect.
 */
import WebSocket from 'ws';
import { slotIn, useLocalStack } from '../support/local-stack';
import { connectAs, pushed, useE2eUsers } from '../support/e2e';
import type { TestSocket } from '../support/ws';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'realtime');

const events = (s: TestSocket, sessionId: string): string[] =>
  s.frames.filter((f) => f?.type === 'notification' && f.notification.sessionId === sessionId).map((f) => f.notification.event as string);

const request = async (student: string, tutorId: string, scheduledAt: string): Promise<string> => {
  const created = await stack.api('POST', '/sessions', { as: student, body: { tutorId, scheduledAt, durationMinutes: 60, title: 'Live', bookingMode: 'REQUEST' } });
  expect(created.status).toBe(201);
  return created.body.session.id as string;
};

describe('Live notifications', () => {
  it('refuses a connection without a valid token', async () => {
    const refused = new WebSocket(`${stack.wsUrl}/?token=not-a-jwt`);
    const outcome = await new Promise<string>((resolve) => {
      refused.once('open', () => resolve('open'));
      refused.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.once('error', () => resolve('error'));
    });
    expect(outcome).not.toBe('open');
    refused.terminate();
  });

  it('reaches every open connection of the right user, and nobody else', async () => {
    const tutorPhone = await connectAs(stack, u.ada);
    const tutorLaptop = await connectAs(stack, u.ada);
    const student = await connectAs(stack, u.bola);
    const bystander = await connectAs(stack, u.chidi);
    const otherTutor = await connectAs(stack, u.tunde);
    try {
      const id = await request(u.bola, u.ada, slotIn(40, 9));
      await Promise.all([pushed(tutorPhone, 'REQUEST_RECEIVED', id), pushed(tutorLaptop, 'REQUEST_RECEIVED', id)]);
      expect(tutorPhone.frames.find((f) => f?.notification?.event === 'REQUEST_RECEIVED')!.notification.action.href).toBe('/tutor/mentorship?tab=approvals');

      await tutorLaptop.close();
      expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada })).status).toBe(200);
      await pushed(student, 'REQUEST_APPROVED', id);

      // A later push to each connection: the stream's push consumer handles one record at a
      // time, in order, so once these arrive every push of the session's notifications (to
      // anyone, retries included) has been sent. Two more requests, each turned down, notify
      // all four users.
      const toTunde = await request(u.chidi, u.tunde, slotIn(41, 9));
      const toAda = await request(u.bola, u.ada, slotIn(42, 9));
      await Promise.all([pushed(otherTutor, 'REQUEST_RECEIVED', toTunde), pushed(tutorPhone, 'REQUEST_RECEIVED', toAda)]);
      expect((await stack.api('POST', `/sessions/${toTunde}/reject`, { as: u.tunde, body: { reason: 'Away that week' } })).status).toBe(200);
      expect((await stack.api('POST', `/sessions/${toAda}/reject`, { as: u.ada, body: { reason: 'Away that week' } })).status).toBe(200);
      await Promise.all([pushed(bystander, 'REQUEST_REJECTED', toTunde), pushed(student, 'REQUEST_REJECTED', toAda)]);

      expect(events(student, id)).toEqual(['REQUEST_APPROVED']);
      expect(events(tutorPhone, id)).toEqual(['REQUEST_RECEIVED']);
      expect(events(tutorLaptop, id)).toEqual(['REQUEST_RECEIVED']);
      expect(events(bystander, id)).toEqual([]);
      expect(events(otherTutor, id)).toEqual([]);

      // Whoever was offline finds it all in the inbox, newest first.
      const inbox = await stack.api('GET', '/me/notifications', { as: u.ada });
      const mine = inbox.body.items.filter((n: { sessionId: string }) => n.sessionId === id);
      expect(mine.map((n: { event: string }) => n.event)).toEqual(['REQUEST_RECEIVED']);
    } finally {
      await Promise.all([tutorPhone, tutorLaptop, student, bystander, otherTutor].map((c) => c.close()));
    }
  });

  it('answers a ping so clients can keep the connection open', async () => {
    const c = await connectAs(stack, u.chidi);
    try {
      c.send(JSON.stringify({ type: 'ping' }));
      await c.waitFor((f) => f?.type === 'pong');
    } finally {
      await c.close();
    }
  });
});
