import {
  ACCOUNT_NOTIFICATION_EVENTS,
  accountNotificationContent,
  NOTIFICATION_EVENTS as SERVER_EVENTS,
  SESSION_NOTIFICATION_EVENTS,
  notificationContent,
  notificationFrame,
  type NotificationFrame as ServerNotificationFrame,
} from '../../shared/domain/notifications';
import { replyTo, type ServerFrame as ServerReply } from '../../shared/usecases/realtime';
import { NOTIFICATION_EVENTS, parseServerFrame, type NotificationFrame, type ServerFrame } from './notifications';

// The client's frames are the server's, checked by the compiler both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const framesAgree: Same<NotificationFrame, ServerNotificationFrame> = true;
const repliesFit: Same<ServerReply, Exclude<ServerFrame, NotificationFrame>> = true;

const session = {
  id: '01JSESSION0000000000000000',
  title: 'Intro to TypeScript',
  scheduledAt: '2030-01-01T10:00:00.000Z',
  price: { amount: 500000, currency: 'NGN' as const },
  student: { displayName: 'Ada' },
  tutor: { displayName: 'Bola' },
  approvalNotes: null,
};

describe('The client’s WebSocket types', () => {
  it('name the events the server sends, in the server’s order', () => {
    expect([framesAgree, repliesFit]).toEqual([true, true]);
    expect(NOTIFICATION_EVENTS).toEqual(SERVER_EVENTS);
  });

  it('read every frame the server sends, and nothing else', () => {
    const contents = [
      ...SESSION_NOTIFICATION_EVENTS.map((e) => notificationContent(e, session as never)),
      ...ACCOUNT_NOTIFICATION_EVENTS.map((e) => accountNotificationContent(e)),
    ];
    for (const content of contents) {
      const frame = notificationFrame({ ...content, id: '01JNOTE', userId: 'u1', createdAt: '2030-01-01T09:00:00.000Z', readAt: null });
      expect(parseServerFrame(JSON.stringify(frame))).toEqual(frame);
    }
    expect(parseServerFrame(JSON.stringify(replyTo({ type: 'ping' })))).toEqual({ type: 'pong' });
    expect(parseServerFrame(JSON.stringify(replyTo({ type: 'invalid' })))).toEqual(expect.objectContaining({ type: 'error', code: 'INVALID_MESSAGE' }));
    expect(parseServerFrame('pong')).toBeUndefined();
    expect(parseServerFrame(JSON.stringify({ type: 'notification', notification: { id: 'x', event: 'SOMETHING_ELSE' } }))).toBeUndefined();
  });
});
