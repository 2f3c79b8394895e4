import { answerMessage } from '../../shared/usecases/realtime';
import { wsHandler } from '../../shared/ws/handler';

/** $default: every client message. `ping` gets `{"type":"pong"}`, anything else a small error frame. */
export const handler = wsHandler(async (event) => {
  const reply = await answerMessage(event.requestContext.connectionId, event);
  return reply ? { statusCode: 200, body: JSON.stringify(reply) } : { statusCode: 200 };
});
