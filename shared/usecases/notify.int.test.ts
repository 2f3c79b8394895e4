/**
 * The notifier's push: stored once, pushed once (from the table stream, by the
 * pushNotifications consumer) to every open connection of the recipient and nobody else;
 * gone connections removed; slow or failing pushes never hold up or fail the producer. A
 * stand-in for API Gateway's management API records what the SDK sends.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import { getConnection, listUserConnections, putConnection } from '../data/connections';
import { listNotifications } from '../data/notifications';
import type { Notification } from '../domain/notifications';
import { freePort } from '../../infra/local/ports';
import { useTableStreams } from '../../test/support/streams';
import { useTestTable } from '../../test/support/table';
import { logger } from '../observability/logger';
import { notify, type NotifyRequest } from './notify';
import { pushToUser } from './push';
import { PUSH_TIMEOUT_MS } from '../integrations/websocket';

const streams = useTableStreams({ consumers: ['pushNotifications'] });
useTestTable();

/** Notifies, then waits until the stream's consumer has pushed what was stored. */
const notified = async (req: NotifyRequest) => {
  await notify(req);
  await streams.idle();
};

type Behaviour = 'ok' | 'gone' | 'hang' | 'fail';
const behaviour = new Map<string, Behaviour>();
const received: { connectionId: string; body: any }[] = [];
const hanging = new Set<ServerResponse>();
let server: Server;
let endpoint: string;

const record = (req: IncomingMessage, res: ServerResponse) => {
  const m = /^\/prod\/@connections\/([^/]+)$/.exec(req.url ?? '');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (!m || req.method !== 'POST') return void res.writeHead(404).end();
    const connectionId = decodeURIComponent(m[1]!);
    const b = behaviour.get(connectionId) ?? 'gone';
    if (b === 'hang') return void hanging.add(res);
    if (b === 'fail') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"Internal server error"}');
    if (b === 'gone') return void res.writeHead(410, { 'x-amzn-ErrorType': 'GoneException', 'content-type': 'application/json' }).end('{"message":null}');
    received.push({ connectionId, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(200).end();
  });
};

beforeAll(async () => {
  server = createServer(record);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  // In AWS: the WebSocket API's stage URL. (AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI works the same way.)
  process.env.WEBSOCKET_MANAGEMENT_URL = endpoint;
  delete process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
  received.length = 0;
});

let n = 0;
const ids = () => {
  n += 1;
  return { tutorId: `nt-tutor-${n}`, studentId: `nt-student-${n}`, sessionId: ulid() };
};

const session = (x: ReturnType<typeof ids>): NotifyRequest['session'] => ({
  id: x.sessionId,
  studentId: x.studentId,
  tutorId: x.tutorId,
  student: { id: x.studentId, displayName: 'Bola' },
  tutor: { id: x.tutorId, displayName: 'Ada' },
  title: 'Generics',
  scheduledAt: '2026-12-01T10:00:00.000Z',
  price: { amount: 500_000, currency: 'NGN' },
  approvalNotes: null,
});

const HOUR_AGO = () => new Date(Date.now() - 3_600_000).toISOString();

/** Connections for a user, each answering as told. */
const given = async (userId: string, ...connections: [string, Behaviour, { young?: boolean }?][]) => {
  for (const [id, b, o] of connections) {
    behaviour.set(id, b);
    await putConnection({ connectionId: id, userId, connectedAt: o?.young ? new Date().toISOString() : HOUR_AGO(), expiresAt: Math.floor(Date.now() / 1000) + 3600 });
  }
};

const to = (connectionId: string) => received.filter((r) => r.connectionId === connectionId);
const inbox = async (userId: string) => (await listNotifications(userId, undefined, 50)).items;

describe('Pushing a stored notification', () => {
  it('reaches every open connection of the recipient, exactly once each, and nobody else', async () => {
    const x = ids();
    await given(x.tutorId, [`${x.tutorId}-a`, 'ok'], [`${x.tutorId}-b`, 'ok'], [`${x.tutorId}-c/+=`, 'ok']);
    await given(x.studentId, [`${x.studentId}-a`, 'ok']);
    await notified({ event: 'REQUEST_RECEIVED', session: session(x), to: ['tutor'] });

    const [stored] = await inbox(x.tutorId);
    const frame = {
      type: 'notification',
      notification: {
        id: stored!.id,
        event: 'REQUEST_RECEIVED',
        title: 'New session request',
        body: stored!.body,
        sessionId: x.sessionId,
        action: { label: 'Review Request', href: '/tutor/mentorship?tab=approvals' },
        createdAt: stored!.createdAt,
      },
    };
    for (const c of [`${x.tutorId}-a`, `${x.tutorId}-b`, `${x.tutorId}-c/+=`]) expect(to(c).map((r) => r.body)).toEqual([frame]);
    expect(to(`${x.studentId}-a`)).toEqual([]);
    expect(received).toHaveLength(3);
  });

  it('pushes nothing more when a retried producer sends the same event again', async () => {
    const x = ids();
    await given(x.studentId, [`${x.studentId}-a`, 'ok'], [`${x.studentId}-b`, 'ok']);
    const req: NotifyRequest = { event: 'REQUEST_APPROVED', session: session(x), to: ['student'] };
    await notify(req);
    await notify(req);
    await Promise.all([notify(req), notify(req), notify(req)]);
    await streams.idle();
    expect((await inbox(x.studentId)).map((i) => i.event)).toEqual(['REQUEST_APPROVED']);
    expect(to(`${x.studentId}-a`)).toHaveLength(1);
    expect(to(`${x.studentId}-b`)).toHaveLength(1);
    // another occurrence of the event is another notification
    await notified({ ...req, occurrence: 'second' });
    expect(to(`${x.studentId}-a`)).toHaveLength(2);
  });

  it('stores and pushes every one of many different notifications for one user produced at the same moment', async () => {
    const x = ids();
    await given(x.tutorId, [`${x.tutorId}-a`, 'ok']);
    await Promise.all(Array.from({ length: 12 }, () => notify({ event: 'REQUEST_RECEIVED', session: { ...session(x), id: ulid() }, to: ['tutor'] })));
    await streams.idle();
    expect(await inbox(x.tutorId)).toHaveLength(12);
    expect((await listNotifications(x.tutorId, undefined, 1)).unreadCount).toBe(12);
    expect(new Set(to(`${x.tutorId}-a`).map((r) => r.body.notification.sessionId)).size).toBe(12);
  });

  it('removes a gone connection while the others still receive (but keeps one that is still opening)', async () => {
    const x = ids();
    const [live1, gone, live2, opening] = ['live1', 'gone', 'live2', 'opening'].map((s) => `${x.tutorId}-${s}`) as [string, string, string, string];
    await given(x.tutorId, [live1, 'ok'], [gone, 'gone'], [live2, 'ok'], [opening, 'gone', { young: true }]);
    await notified({ event: 'PAYMENT_RECEIVED', session: session(x), to: ['tutor'] });
    expect(to(live1)).toHaveLength(1);
    expect(to(live2)).toHaveLength(1);
    expect(to(live1)[0]!.body.notification.body).toContain('You earn NGN 3,500.00');
    const left = (await listUserConnections(x.tutorId)).map((c) => c.connectionId).sort();
    expect(left).toEqual([live1, live2, opening].sort());
    expect(await getConnection(gone)).toBeUndefined();
  });

  it('gives up on a connection that does not answer in time, and a failing one, without holding up the others or the producer', async () => {
    const x = ids();
    const [slow, failing, fine] = ['slow', 'failing', 'fine'].map((s) => `${x.studentId}-${s}`) as [string, string, string];
    await given(x.studentId, [slow, 'hang'], [failing, 'fail'], [fine, 'ok']);
    const gaveUp: string[] = [];
    let fineWhenSlowGaveUp: number | undefined;
    const warn = jest.spyOn(logger, 'warn').mockImplementation((...args: unknown[]) => {
      const [message, fields] = args as [unknown, { connectionId?: string } | undefined];
      const connectionId = fields?.connectionId;
      if (!String(message).includes('Notification not pushed to a connection') || !connectionId) return;
      gaveUp.push(connectionId);
      if (connectionId === slow) fineWhenSlowGaveUp = to(fine).length;
    });
    try {
      const started = Date.now();
      await notify({ event: 'BOOKING_CONFIRMED', session: session(x), to: ['student'] });
      // The producer only stores: the push happens off its path (it has not given up on the slow one yet).
      expect(gaveUp).not.toContain(slow);
      await streams.idle();
      // The slow push was given up at its timeout, not before (a lower bound holds however slow the machine).
      expect(Date.now() - started).toBeGreaterThanOrEqual(PUSH_TIMEOUT_MS - 100);
      // ...and the others were not held up by it: the fine one had its push by then.
      expect(fineWhenSlowGaveUp).toBe(1);
      expect(to(fine)).toHaveLength(1);
      expect(gaveUp.sort()).toEqual([failing, slow].sort());
      expect(warn.mock.calls.filter(([m]) => String(m).includes('Notification not pushed to a connection'))).toHaveLength(2);
    } finally {
      warn.mockRestore();
    }
    // neither the slow nor the failing one is taken for gone
    expect((await listUserConnections(x.studentId)).map((c) => c.connectionId).sort()).toEqual([failing, fine, slow].sort());
    expect((await inbox(x.studentId)).map((i) => i.event)).toEqual(['BOOKING_CONFIRMED']);
  });

  it('bounds each push by the timeout it is given', async () => {
    const x = ids();
    await given(x.studentId, [`${x.studentId}-slow`, 'hang'], [`${x.studentId}-ok`, 'ok']);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      const reminder: Notification = {
        id: ulid(),
        userId: x.studentId,
        event: 'SESSION_REMINDER',
        title: 't',
        body: 'b',
        sessionId: x.sessionId,
        action: { label: 'l', href: '/h' },
        createdAt: new Date().toISOString(),
        readAt: null,
      };
      // Ended by the timeout given (200 ms), before a timer of the default's length set at the same moment.
      let defaultTimer: NodeJS.Timeout | undefined;
      const byDefault = new Promise<string>((r) => (defaultTimer = setTimeout(() => r('the default timeout came first'), PUSH_TIMEOUT_MS)));
      try {
        expect(await Promise.race([pushToUser(reminder, 200), byDefault])).toEqual({ sent: 1, gone: 0, failed: 1 });
      } finally {
        clearTimeout(defaultTimer);
      }
    } finally {
      warn.mockRestore();
    }
  });
});

describe('Without a reachable WebSocket API', () => {
  it('stores the notification and sends nothing when no management endpoint is configured', async () => {
    delete process.env.WEBSOCKET_MANAGEMENT_URL;
    const x = ids();
    await given(x.studentId, [`${x.studentId}-a`, 'ok']);
    const logs = [jest.spyOn(logger, 'warn'), jest.spyOn(logger, 'error')];
    try {
      await notified({ event: 'REQUEST_REJECTED', session: session(x), to: ['student'], extra: { reason: 'Away' } });
      for (const spy of logs) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of logs) spy.mockRestore();
    }
    expect(received).toEqual([]);
    expect((await inbox(x.studentId)).map((i) => i.event)).toEqual(['REQUEST_REJECTED']);
  });

  it('stores the notification and only logs when the endpoint is down', async () => {
    process.env.WEBSOCKET_MANAGEMENT_URL = `http://127.0.0.1:${await freePort()}/prod`;
    const x = ids();
    await given(x.studentId, [`${x.studentId}-a`, 'ok'], [`${x.studentId}-b`, 'ok']);
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => {});
    try {
      await expect(notify({ event: 'REFUND_ISSUED', session: session(x), to: ['student'] })).resolves.toBeUndefined();
      await streams.idle();
      expect(warn).toHaveBeenCalledTimes(2);
    } finally {
      warn.mockRestore();
    }
    expect((await inbox(x.studentId)).map((i) => i.event)).toEqual(['REFUND_ISSUED']);
    // a connection that could not be reached is not taken for gone
    expect(await listUserConnections(x.studentId)).toHaveLength(2);
  });

  it('uses AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI, the SDK variable, just as well', async () => {
    delete process.env.WEBSOCKET_MANAGEMENT_URL;
    process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI = endpoint;
    const x = ids();
    await given(x.studentId, [`${x.studentId}-a`, 'ok']);
    await notified({ event: 'SESSION_CANCELLED', session: session(x), to: ['student'] });
    expect(to(`${x.studentId}-a`)).toHaveLength(1);
  });
});
