/**
 * Live notifications over the local stack's WebSocket API with real `ws` clients: a tutor
 * with two open connections gets REQUEST_RECEIVED on both within a second; the student gets
 * REQUEST_APPROVED after one of the tutor's connections closed; nobody else gets either.
 * A bad token is refused at connect.
 */
import WebSocket from 'ws';
import { slotIn, useLocalStack } from '../support/local-stack';
import { useE2eUsers } from '../support/e2e';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'realtime');

interface Client {
  socket: WebSocket;
  frames: { type: string; notification?: { event: string; sessionId: string; action: { href: string } } }[];
  close: () => Promise<void>;
}

const connect = async (userId: string): Promise<Client> => {
  const socket = new WebSocket(`${stack.wsUrl}/?token=${await stack.token(userId)}`);
  const frames: Client['frames'] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
};

const events = (c: Client, sessionId: string) => c.frames.filter((f) => f.notification?.sessionId === sessionId).map((f) => f.notification!.event);

const waitFor = async (check: () => boolean, ms: number) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
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
    const tutorPhone = await connect(u.ada);
    const tutorLaptop = await connect(u.ada);
    const student = await connect(u.bola);
    const bystander = await connect(u.chidi);
    const otherTutor = await connect(u.tunde);
    try {
      const created = await stack.api('POST', '/sessions', {
        as: u.bola,
        body: { tutorId: u.ada, scheduledAt: slotIn(40, 9), durationMinutes: 60, title: 'Live', bookingMode: 'REQUEST' },
      });
      const id = created.body.session.id;
      const started = Date.now();
      expect(await waitFor(() => events(tutorPhone, id).includes('REQUEST_RECEIVED') && events(tutorLaptop, id).includes('REQUEST_RECEIVED'), 5_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1_000 + 500); // within a second (plus polling slack)
      expect(tutorPhone.frames.find((f) => f.notification?.event === 'REQUEST_RECEIVED')!.notification!.action.href).toBe('/tutor/mentorship?tab=approvals');

      await tutorLaptop.close();
      expect((await stack.api('POST', `/sessions/${id}/approve`, { as: u.ada })).status).toBe(200);
      expect(await waitFor(() => events(student, id).includes('REQUEST_APPROVED'), 5_000)).toBe(true);

      await new Promise((r) => setTimeout(r, 300));
      expect(events(student, id)).toEqual(['REQUEST_APPROVED']);
      expect(events(tutorPhone, id)).toEqual(['REQUEST_RECEIVED']);
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
    const c = await connect(u.chidi);
    try {
      c.socket.send(JSON.stringify({ type: 'ping' }));
      expect(await waitFor(() => c.frames.some((f) => f.type === 'pong'), 3_000)).toBe(true);
    } finally {
      await c.close();
    }
  });
});
