/**
 * Recordings on the local stack: a paid session gets its Zoom meeting from the emulator; the
 * emulator's control endpoint then delivers Zoom's signed recording.completed to
 * /webhooks/zoom; both participants get RECORDING_READY over the WebSocket, and
 * GET /sessions/{id}/recordings serves the stored links. A redelivery notifies nobody again.
 */
import { bookAndPay, useE2eUsers } from '../support/e2e';
import { slotIn, useLocalStack } from '../support/local-stack';
import { notificationsOf, openSocket, type TestSocket } from '../support/ws';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'recordings');

const recordingCompleted = async (meetingId: string) => {
  const res = await fetch(`${new URL(stack.zoomUrl).origin}/_emulator/meetings/${meetingId}/recording-completed`, { method: 'POST' });
  return { status: res.status, body: await res.json() };
};

/** Frames already pushed to the socket have arrived once its pong has (one connection keeps order). */
const drained = async (socket: TestSocket) => {
  const before = socket.frames.filter((f) => f?.type === 'pong').length;
  socket.send(JSON.stringify({ type: 'ping' }));
  await socket.waitFor(() => socket.frames.filter((f) => f?.type === 'pong').length > before);
};

describe('Given a paid session with a Zoom meeting', () => {
  it('Zoom’s recording.completed reaches both participants once, and the links are served to them only', async () => {
    const { session } = await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: slotIn(45, 11), title: 'Recorded chat' });
    expect(session.meetingId).toMatch(/^\d+$/);
    const student = await openSocket(stack.wsUrl, await stack.token(u.bola));
    const tutor = await openSocket(stack.wsUrl, await stack.token(u.ada));
    try {
      const none = await stack.api('GET', `/sessions/${session.id}/recordings`, { as: u.bola });
      expect(none).toEqual({ status: 200, body: { items: [] } });

      const delivered = await recordingCompleted(session.meetingId);
      expect(delivered).toEqual({ status: 200, body: { delivered: true, status: 200, response: { received: true, outcome: 'stored' } } });

      const isReady = (f: any) => f?.type === 'notification' && f.notification.event === 'RECORDING_READY' && f.notification.sessionId === session.id;
      for (const socket of [student, tutor]) {
        const frame = await socket.waitFor(isReady);
        expect(frame.notification).toMatchObject({ title: 'Recording ready', action: { href: `/mentorship/session/${session.id}` } });
      }

      for (const as of [u.bola, u.ada, u.admin]) {
        const res = await stack.api('GET', `/sessions/${session.id}/recordings`, { as });
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(2);
        for (const item of res.body.items) {
          expect(item).toMatchObject({
            status: 'completed',
            playUrl: expect.stringMatching(/^https:\/\/zoom\.us\/rec\/play\//),
            downloadUrl: expect.stringMatching(/^https:\/\/zoom\.us\/rec\/download\//),
            passcode: expect.any(String),
          });
        }
        expect(res.body.items.map((i: { fileType: string }) => i.fileType).sort()).toEqual(['M4A', 'MP4']);
      }
      expect((await stack.api('GET', `/sessions/${session.id}/recordings`, { as: u.chidi })).status).toBe(404);
      expect((await stack.api('GET', `/sessions/${session.id}/recordings`, { as: u.tunde })).status).toBe(404);

      // Zoom delivers it again: acknowledged, nothing new stored (the inbox), nothing new pushed (the sockets).
      const redelivered = await recordingCompleted(session.meetingId);
      expect(redelivered.body).toEqual({ delivered: true, status: 200, response: { received: true, outcome: 'duplicate' } });
      await Promise.all([drained(student), drained(tutor)]);
      for (const socket of [student, tutor]) expect(notificationsOf(socket, 'RECORDING_READY').filter(isReady)).toHaveLength(1);
      for (const as of [u.bola, u.ada]) {
        const inbox = await stack.api('GET', '/me/notifications?limit=50', { as });
        expect(inbox.body.items.filter((n: { event: string; sessionId: string }) => n.event === 'RECORDING_READY' && n.sessionId === session.id)).toHaveLength(1);
      }
      expect((await stack.api('GET', `/sessions/${session.id}/recordings`, { as: u.bola })).body.items).toHaveLength(2);
    } finally {
      await Promise.all([student.close(), tutor.close()]);
    }
  }, 90_000);

  it('an event signed with another token is refused with 401', async () => {
    const res = await stack.api('POST', '/webhooks/zoom', {
      rawBody: '{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}',
      headers: { 'x-zm-request-timestamp': String(Math.floor(Date.now() / 1000)), 'x-zm-signature': `v0=${'a'.repeat(64)}` },
    });
    expect(res).toEqual({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Missing or invalid x-zm-signature' } } });
  });
});
