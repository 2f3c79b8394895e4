/**
 * The WebSocket API's routes, in one list like shared/http/routes.ts: CDK builds one Lambda
 * function and one route per entry, the local WebSocket gateway calls the same handlers.
 * `$connect` is guarded by the REQUEST authorizer (functions/ws/authorizer.ts), whose
 * identity source is the `token` query parameter: `wss://…/{stage}?token=<JWT>`.
 */
export type WsRouteKey = '$connect' | '$disconnect' | '$default';

export interface WsRouteDef {
  routeKey: WsRouteKey;
  /** The handler module: `functions/ws/<handler>.ts`, exporting `handler`. */
  handler: 'connect' | 'disconnect' | 'default';
  /** Runs the authorizer first (only $connect can have one). */
  authorizer: boolean;
  /** Needs execute-api:ManageConnections (it sends to connections with PostToConnection). */
  managesConnections: boolean;
}

export const WS_ROUTES: readonly WsRouteDef[] = [
  { routeKey: '$connect', handler: 'connect', authorizer: true, managesConnections: false },
  { routeKey: '$disconnect', handler: 'disconnect', authorizer: false, managesConnections: false },
  { routeKey: '$default', handler: 'default', authorizer: false, managesConnections: true },
];

export const WS_AUTHORIZER = {
  /** functions/ws/authorizer.ts */
  handler: 'authorizer',
  /** API Gateway's identity source: no `token`, no authorizer call (401). */
  identitySource: 'route.request.querystring.token',
  tokenParameter: 'token',
} as const;

/** Path of a WebSocket handler module, relative to the project root. */
export const wsHandlerEntry = (handler: string): string => `functions/ws/${handler}.ts`;

/** API Gateway ends a connection after this long, and after 10 minutes without a message. */
export const WS_MAX_CONNECTION_SECONDS = 2 * 60 * 60;
export const WS_IDLE_TIMEOUT_SECONDS = 10 * 60;
