/**
 * The live notification feed: one WebSocket per signed-in tab, `?token=<ID token>`, kept open
 * with a ping well inside the API's 10-minute idle timeout, reconnected with backoff when it
 * drops, and reconnected with the fresh token after a renewal.
 */
import { parseServerFrame, PING, type PushedNotification } from '@mentorship/client/notifications';

/** Send a ping this often: the API closes a connection after 10 minutes without a message. */
export const PING_INTERVAL_MS = 4 * 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/** Delay before reconnect attempt `attempt` (1, 2, …): exponential, capped at 30 s, jittered in its upper half. */
export const reconnectDelay = (attempt: number, random: () => number = Math.random): number => {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
};

/** The notification, when `data` is a notification push; null for pongs and anything else. */
export const parseFrame = (data: unknown): PushedNotification | null => {
  const frame = typeof data === 'string' ? parseServerFrame(data) : undefined;
  return frame?.type === 'notification' ? frame.notification : null;
};

export type SocketStatus = 'connecting' | 'open' | 'closed';

export interface SocketOptions {
  url: string;
  token: () => Promise<string | null>;
  onNotification: (n: PushedNotification) => void;
  /** The connection opened again after being closed: pushes may have been missed meanwhile. */
  onReconnect?: () => void;
  onStatus?: (s: SocketStatus) => void;
  WebSocketImpl?: typeof WebSocket;
  random?: () => number;
}

export const connectNotifications = (opts: SocketOptions) => {
  const Impl = opts.WebSocketImpl ?? WebSocket;
  let ws: WebSocket | null = null;
  let attempts = 0;
  let everOpened = false;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let pingTimer: ReturnType<typeof setInterval> | undefined;

  const status = (s: SocketStatus) => opts.onStatus?.(s);

  const scheduleRetry = () => {
    if (stopped) return;
    attempts += 1;
    retryTimer = setTimeout(() => void open(), reconnectDelay(attempts, opts.random));
  };

  const open = async () => {
    if (stopped) return;
    const token = await opts.token();
    if (stopped) return;
    if (!token) return scheduleRetry();
    status('connecting');
    const socket = new Impl(`${opts.url}/?token=${encodeURIComponent(token)}`);
    ws = socket;
    socket.onopen = () => {
      if (everOpened) opts.onReconnect?.();
      everOpened = true;
      attempts = 0;
      status('open');
      pingTimer = setInterval(() => socket.readyState === Impl.OPEN && socket.send(JSON.stringify(PING)), PING_INTERVAL_MS);
    };
    socket.onmessage = (e: MessageEvent) => {
      const notification = parseFrame(e.data);
      if (notification) opts.onNotification(notification);
    };
    socket.onclose = () => {
      clearInterval(pingTimer);
      if (ws !== socket) return;
      ws = null;
      status('closed');
      scheduleRetry();
    };
  };

  const close = () => {
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    const socket = ws;
    ws = null;
    socket?.close();
  };

  void open();
  return {
    /** Connect again now, with the current token (after a renewal). */
    reconnect: () => {
      close();
      attempts = 0;
      void open();
    },
    stop: () => {
      stopped = true;
      close();
      status('closed');
    },
  };
};
