/**
 * What the WebSocket API sends and accepts. Connect to `<wsUrl>?token=<ID token>`; each stored
 * notification arrives as a `notification` frame; send `{"type":"ping"}` (or the text `ping`)
 * at least every 10 minutes to keep the connection open, and get a `pong`. The same
 * notifications are in the inbox (`GET /me/notifications`) with their read state.
 */

/** Events about a session: their notifications carry `sessionId`. */
export const SESSION_NOTIFICATION_EVENTS = [
  'REQUEST_RECEIVED',
  'APPROVAL_DEADLINE_APPROACHING',
  'REQUEST_APPROVED',
  'REQUEST_REJECTED',
  'REQUEST_EXPIRED',
  'BOOKING_CONFIRMED',
  'PAYMENT_RECEIVED',
  'MEETING_LINK_NEEDED',
  'SESSION_REMINDER',
  'SESSION_CANCELLED',
  'REFUND_ISSUED',
  'SESSION_RESCHEDULED',
  'RECORDING_READY',
] as const;
/** Events about the user's account (the answer to an application to tutor): no session. */
export const ACCOUNT_NOTIFICATION_EVENTS = [
  'TUTOR_APPLICATION_APPROVED',
  'TUTOR_APPLICATION_DECLINED',
  'PAYOUT_ACCOUNT_CHANGED',
  'WITHDRAWAL_SUCCEEDED',
  'WITHDRAWAL_FAILED',
] as const;
export const NOTIFICATION_EVENTS = [...SESSION_NOTIFICATION_EVENTS, ...ACCOUNT_NOTIFICATION_EVENTS] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

interface PushedNotificationOf<E extends NotificationEvent> {
  /** The inbox item's id (POST /me/notifications/{notificationId}/read marks it read). */
  id: string;
  event: E;
  title: string;
  body: string;
  /** The session it tells of; absent for account events. */
  sessionId?: string;
  /** The button to show: `href` is a page of the web app. */
  action: { label: string; href: string };
  createdAt: string;
}

/** A notification as pushed, one member per event (narrow with `switch (n.event)`). */
export type PushedNotification = { [E in NotificationEvent]: PushedNotificationOf<E> }[NotificationEvent];

export interface NotificationFrame {
  type: 'notification';
  notification: PushedNotification;
}
export interface PongFrame {
  type: 'pong';
}
/** The answer to a message the server does not take (only pings are taken). */
export interface ErrorFrame {
  type: 'error';
  code: 'UNSUPPORTED_MESSAGE' | 'INVALID_MESSAGE';
  message: string;
}
/** Everything the server sends, by `type`. */
export type ServerFrame = NotificationFrame | PongFrame | ErrorFrame;

/** Everything the server takes. */
export interface ClientFrame {
  type: 'ping';
}
export const PING: ClientFrame = { type: 'ping' };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

/** A received message as a frame, or undefined when it is none the server sends. */
export const parseServerFrame = (data: string): ServerFrame | undefined => {
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(frame)) return undefined;
  switch (frame.type) {
    case 'pong':
      return { type: 'pong' };
    case 'error':
      return typeof frame.code === 'string' && typeof frame.message === 'string' ? (frame as unknown as ErrorFrame) : undefined;
    case 'notification': {
      const n = frame.notification;
      return isObject(n) && (NOTIFICATION_EVENTS as readonly unknown[]).includes(n.event) && typeof n.id === 'string' ? (frame as unknown as NotificationFrame) : undefined;
    }
    default:
      return undefined;
  }
};
