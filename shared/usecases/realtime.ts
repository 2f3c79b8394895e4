/**
 * The WebSocket API's use cases: a connection is recorded for its user on $connect (the
 * authorizer has verified who it is), forgotten on $disconnect, and a client's `ping` is
 * answered with a `pong` so it can keep the connection inside API Gateway's 10-minute idle
 * limit. Notifications reach the connections through the notifier.
 */
import { systemClock, type Clock } from '../domain/clock';
import { deleteConnectionById, putConnection, type Connection } from '../data/connections';
import { postToConnection } from '../integrations/websocket';
import { WS_MAX_CONNECTION_SECONDS } from '../ws/routes';
import { logger } from '../observability/logger';

export const openConnection = async (userId: string, connectionId: string, clock: Clock = systemClock): Promise<Connection> => {
  const now = clock();
  const c: Connection = {
    connectionId,
    userId,
    connectedAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + WS_MAX_CONNECTION_SECONDS,
  };
  await putConnection(c);
  return c;
};

export const closeConnection = (connectionId: string) => deleteConnectionById(connectionId);

/** What a client may send, and what it gets back. */
export type ClientFrame = { type: 'ping' } | { type: 'unknown' | 'invalid' };
export type ServerFrame = { type: 'pong' } | { type: 'error'; code: 'UNSUPPORTED_MESSAGE' | 'INVALID_MESSAGE'; message: string };

/** `ping` (text) or `{"type":"ping"}`; anything else is unsupported, malformed JSON invalid. */
export const readClientFrame = (body: string | null | undefined): ClientFrame => {
  const text = (body ?? '').trim();
  if (text === 'ping') return { type: 'ping' };
  if (!text.startsWith('{')) return { type: 'unknown' };
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && (parsed as { type?: unknown }).type === 'ping' ? { type: 'ping' } : { type: 'unknown' };
  } catch {
    return { type: 'invalid' };
  }
};

export const replyTo = (frame: ClientFrame): ServerFrame => {
  switch (frame.type) {
    case 'ping':
      return { type: 'pong' };
    case 'invalid':
      return { type: 'error', code: 'INVALID_MESSAGE', message: 'Send JSON such as {"type":"ping"}' };
    default:
      return { type: 'error', code: 'UNSUPPORTED_MESSAGE', message: 'This connection only receives notifications; send {"type":"ping"} to keep it open' };
  }
};

/**
 * Answers a client's message on its connection. Returns the reply for the route response
 * when there is no management endpoint to send it with (a route response must then be
 * configured for the client to see it); undefined when it was sent, or the connection is gone.
 */
export const answerMessage = async (connectionId: string, message: { body?: string | null; isBase64Encoded?: boolean }): Promise<ServerFrame | undefined> => {
  const reply = replyTo(message.isBase64Encoded ? { type: 'unknown' } : readClientFrame(message.body));
  try {
    const outcome = await postToConnection(connectionId, reply);
    return outcome === 'not-configured' ? reply : undefined;
  } catch (e) {
    logger.warn('Reply not sent; returned as the route response', { connectionId, error: String(e) });
    return reply;
  }
};
