/**
 * Sending to WebSocket clients through API Gateway's management API (PostToConnection). The
 * client is made once per container (per endpoint): in AWS the endpoint is the API's
 * `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}` (WEBSOCKET_MANAGEMENT_URL),
 * locally the SDK's own AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI points it at the local
 * WebSocket gateway. Without either, there is no WebSocket API and nothing is sent.
 */
import { ApiGatewayManagementApiClient, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { websocketManagementEndpoint } from '../ws/config';

/** How long one push may take before it is given up (the caller is usually a user's request). */
export const PUSH_TIMEOUT_MS = 3_000;

const clients = new Map<string, ApiGatewayManagementApiClient>();

const clientFor = (endpoint: string): ApiGatewayManagementApiClient => {
  let client = clients.get(endpoint);
  if (!client) {
    // One retry at most: a push is a courtesy (the inbox has the notification), not worth a slow request.
    client = new ApiGatewayManagementApiClient({ endpoint, maxAttempts: 2 });
    clients.set(endpoint, client);
  }
  return client;
};

/** The management endpoint, or undefined when no WebSocket API is configured. */
export const pushEndpoint = (): string | undefined => websocketManagementEndpoint();

export type PushOutcome = 'sent' | 'gone' | 'not-configured';

/**
 * Sends `data` (JSON-encoded) to one connection. 'gone': the connection no longer exists
 * (410 GoneException). Any other failure (timeout, endpoint down, throttling) throws.
 */
export const postToConnection = async (connectionId: string, data: unknown, timeoutMs = PUSH_TIMEOUT_MS): Promise<PushOutcome> => {
  const endpoint = pushEndpoint();
  if (!endpoint) return 'not-configured';
  try {
    await clientFor(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: new TextEncoder().encode(JSON.stringify(data)) }), {
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return 'sent';
  } catch (e) {
    if (isGone(e)) return 'gone';
    throw e;
  }
};

const isGone = (e: unknown): boolean =>
  e instanceof GoneException || (e as { name?: string })?.name === 'GoneException' || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 410;
