import { openConnection } from '../../shared/usecases/realtime';
import { wsHandler } from '../../shared/ws/handler';

/** $connect, after the authorizer allowed it: the connection is recorded for the token's user. */
export const handler = wsHandler(async (event) => {
  const userId = event.requestContext.authorizer?.userId;
  // Only reachable without the authorizer (a misconfigured route): refuse the connection.
  if (typeof userId !== 'string' || userId.length === 0) return { statusCode: 401 };
  await openConnection(userId, event.requestContext.connectionId);
  return { statusCode: 200 };
});
