/**
 * The WebSocket API's REQUEST authorizer on $connect: the JWT from the `token` query
 * parameter, verified like the HTTP API's JWT authorizer (shared/ws/auth.ts). Answers with an
 * IAM policy for the connect route (API Gateway's v1 authorizer response, which WebSocket
 * APIs use) and passes the user id on as `requestContext.authorizer.userId`.
 */
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { appendLogKeys, observe } from '../../shared/observability/invocation';
import { logger } from '../../shared/observability/logger';
import { checkToken } from '../../shared/ws/auth';
import { WS_AUTHORIZER } from '../../shared/ws/routes';

export interface WsAuthorizerEvent {
  type: 'REQUEST';
  methodArn: string;
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext?: { connectionId?: string; routeKey?: string; [key: string]: unknown };
}

export type WsAuthorizerResult = APIGatewayAuthorizerResult & { context?: { userId: string } };

const policy = (principalId: string, effect: 'Allow' | 'Deny', resource: string, userId?: string): WsAuthorizerResult => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] },
  ...(userId ? { context: { userId } } : {}),
});

export const handler = middy(async (event: WsAuthorizerEvent): Promise<WsAuthorizerResult> => {
  const resource = event?.methodArn ?? '*';
  const check = await checkToken(event?.queryStringParameters?.[WS_AUTHORIZER.tokenParameter]);
  if (check.ok) {
    appendLogKeys({ userId: check.claims.sub });
    return policy(check.claims.sub, 'Allow', resource, check.claims.sub);
  }
  // Never the token itself in the logs (the DEBUG event line has it redacted).
  logger[check.fault ? 'error' : 'info']('WebSocket connection refused', { reason: check.reason, code: check.code });
  return policy('anonymous', 'Deny', resource);
}).use(
  observe<WsAuthorizerEvent>({
    keysOf: (e) => ({ connectionId: e?.requestContext?.connectionId, requestId: e?.requestContext?.requestId as string | undefined }),
  }),
);
