/**
 * The middy chain of the WebSocket API's route handlers ($connect, $disconnect, $default):
 * observability (log keys connectionId, requestId and userId from the $connect authorizer's
 * context; the redacted event at DEBUG; metrics published at the end), then the part of the
 * event the handler relies on is checked with zod, then the route's `main` runs. Anything
 * unexpected is logged and answered with a bare 500 (on $connect that refuses the connection;
 * on other routes API Gateway only logs it), never a crash.
 */
import middy from '@middy/core';
import { observe } from '../observability/invocation';
import { logger } from '../observability/logger';
import * as z from '../schemas/zod';

/** What API Gateway sends a WebSocket route's Lambda integration (the parts we read). */
export interface WsEvent {
  requestContext: {
    routeKey: string;
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
    connectionId: string;
    connectedAt?: number;
    requestTimeEpoch?: number;
    domainName?: string;
    stage?: string;
    apiId?: string;
    requestId?: string;
    messageId?: string;
    /** The $connect authorizer's context (plus principalId), on every route of the connection. */
    authorizer?: { principalId?: string; userId?: string; [key: string]: unknown } | null;
    disconnectStatusCode?: number;
    disconnectReason?: string;
  };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface WsResult {
  statusCode: number;
  /** Sent back to the client only if the route has a route response configured. */
  body?: string;
}

const eventSchema = z.looseObject({
  requestContext: z.looseObject({
    routeKey: z.string(),
    eventType: z.enum(['CONNECT', 'MESSAGE', 'DISCONNECT']),
    connectionId: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9+/=_-]+$/, 'Must be an API Gateway connection id')),
  }),
});

export const wsHandler = (main: (event: WsEvent) => Promise<WsResult>) =>
  middy(async (event: WsEvent): Promise<WsResult> => {
    const parsed = eventSchema.safeParse(event);
    if (!parsed.success) {
      logger.warn('Not a WebSocket event', { error: z.prettifyError(parsed.error) });
      return { statusCode: 400 };
    }
    try {
      return await main(event);
    } catch (e) {
      const ctx = event.requestContext;
      logger.error('Unhandled error', { route: ctx.routeKey, error: e as Error });
      return { statusCode: 500 };
    }
  }).use(
    observe<WsEvent>({
      keysOf: (e) => ({
        connectionId: e?.requestContext?.connectionId,
        requestId: e?.requestContext?.requestId,
        userId: e?.requestContext?.authorizer?.userId,
      }),
    }),
  );
