import { connectNotifications, parseFrame, PING_INTERVAL_MS, reconnectDelay } from './socket';

/** A WebSocket the test drives: it records what the client opened and sent. */
class FakeSocket {
  static readonly OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
    this.onclose?.();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const flush = () => jest.advanceTimersByTimeAsync(0);

describe('The live notification feed', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    FakeSocket.all = [];
  });
  afterEach(() => jest.useRealTimers());

  const start = (token: () => Promise<string | null> = async () => 'token-1') => {
    const received: string[] = [];
    const reconnects: number[] = [];
    const feed = connectNotifications({
      url: 'ws://localhost:3001',
      token,
      onNotification: (n) => received.push(n.id),
      onReconnect: () => reconnects.push(Date.now()),
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
      random: () => 0.5,
    });
    return { feed, received, reconnects };
  };

  it('connects with the ID token in the query string and hands on each pushed notification', async () => {
    const { feed, received } = start();
    await flush();
    expect(latest().url).toBe('ws://localhost:3001/?token=token-1');
    latest().open();
    latest().onmessage?.({
      data: JSON.stringify({
        type: 'notification',
        notification: { id: 'n1', event: 'REQUEST_APPROVED', title: 't', body: 'b', sessionId: 's', action: { label: 'l', href: '/' }, createdAt: 'now' },
      }),
    });
    latest().onmessage?.({ data: JSON.stringify({ type: 'pong' }) });
    latest().onmessage?.({ data: 'not json' });
    expect(received).toEqual(['n1']);
    feed.stop();
  });

  it('pings well inside the 10-minute idle timeout', async () => {
    const { feed } = start();
    await flush();
    latest().open();
    await jest.advanceTimersByTimeAsync(PING_INTERVAL_MS);
    expect(latest().sent).toEqual(['{"type":"ping"}']);
    expect(PING_INTERVAL_MS).toBeLessThan(10 * 60_000);
    feed.stop();
  });

  it('reconnects with growing delays after drops, and tells the app so it can refetch what it missed', async () => {
    const { feed, reconnects } = start();
    await flush();
    latest().open();
    latest().drop();
    await jest.advanceTimersByTimeAsync(reconnectDelay(1, () => 0.5) - 1);
    expect(FakeSocket.all).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(FakeSocket.all).toHaveLength(2);
    latest().drop();
    await jest.advanceTimersByTimeAsync(reconnectDelay(2, () => 0.5));
    expect(FakeSocket.all).toHaveLength(3);
    latest().open();
    expect(reconnects).toHaveLength(1);
    feed.stop();
  });

  it('connects again at once with the fresh token after a renewal', async () => {
    let token = 'old';
    const { feed } = start(async () => token);
    await flush();
    const first = latest();
    first.open();
    token = 'fresh';
    feed.reconnect();
    await flush();
    expect(first.closed).toBe(true);
    expect(latest().url).toBe('ws://localhost:3001/?token=fresh');
    // The old socket's close does not schedule a second connection.
    await jest.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.all).toHaveLength(2);
    feed.stop();
  });

  it('stops for good when stopped: no reconnect after the close', async () => {
    const { feed } = start();
    await flush();
    latest().open();
    feed.stop();
    await jest.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('Reconnect backoff', () => {
  it('doubles from one second up to a 30-second ceiling, jittered within its upper half', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => reconnectDelay(n, () => 1))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(reconnectDelay(3, () => 0)).toBe(2000);
  });

  it('reads only notification frames', () => {
    expect(parseFrame('{"type":"pong"}')).toBeNull();
    expect(parseFrame('{"type":"notification","notification":{}}')).toBeNull();
    expect(parseFrame(42)).toBeNull();
  });
});
