import { closeConnection } from '../../shared/usecases/realtime';
import { wsHandler } from '../../shared/ws/handler';

/** $disconnect (best effort on API Gateway's side; the items' TTL covers a missed one). */
export const handler = wsHandler(async (event) => {
  await closeConnection(event.requestContext.connectionId);
  return { statusCode: 200 };
});
