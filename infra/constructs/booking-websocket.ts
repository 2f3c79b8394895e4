import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { LogGroupLogDestination, WebSocketApi, WebSocketStage, type WebSocketRouteOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { WS_ENV } from '../../shared/ws/config';
import { WS_AUTHORIZER, WS_ROUTES, wsHandlerEntry, type WsRouteDef, type WsRouteKey } from '../../shared/ws/routes';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { grantTableAccess } from './table-access';

export interface BookingWebSocketProps {
  table: ITable;
  /** The JWT issuer (the Cognito user pool's URL) and the accepted audience (the client id), as for the HTTP API. */
  jwtIssuer: string;
  jwtAudience: string;
  /** The stage clients connect to: `wss://{apiId}.execute-api.{region}.amazonaws.com/{stageName}`. */
  stageName: string;
  /** The stage's throttling (all routes, $connect included). */
  throttle: { rateLimit: number; burstLimit: number };
}

/** The WebSocket route handlers that read or write the table (the connection records). */
const TABLE_HANDLERS: ReadonlySet<WsRouteDef['handler']> = new Set(['connect', 'disconnect']);

const ROUTE_OPTIONS: Record<WsRouteKey, 'connectRouteOptions' | 'disconnectRouteOptions' | 'defaultRouteOptions'> = {
  $connect: 'connectRouteOptions',
  $disconnect: 'disconnectRouteOptions',
  $default: 'defaultRouteOptions',
};

/** `$connect` → `Connect`. */
const pascal = (s: string): string => s.replace(/^\$/, '').replace(/^./, (c) => c.toUpperCase());

/**
 * The WebSocket API that pushes notifications to signed-in users: one function and one route
 * per entry of `WS_ROUTES` (shared/ws/routes.ts), `$connect` behind a Lambda REQUEST authorizer
 * (functions/ws/authorizer.ts) that checks the JWT in the `token` query parameter against the
 * same user pool and client as the HTTP API's JWT authorizer, and one auto-deployed stage.
 *
 * $connect and $disconnect record and forget connections in the table; $default answers pings
 * with PostToConnection. Functions outside this construct that notify users get the management
 * endpoint and the permission to post through `grantPush()`.
 *
 * No cycle: the API, its stage and its functions depend on nothing outside this construct but
 * the table and the user pool, so the grants to HTTP and workflow functions (which reference the
 * API and the stage) only add edges into it.
 */
export class BookingWebSocket extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  /** The stage's access log (one JSON line per connect, message and disconnect). */
  readonly accessLogs: LogGroup;
  readonly authorizerFunction: BookingFunction;
  /** The route functions by handler name (`connect`, `disconnect`, `default`). */
  readonly functions: Record<WsRouteDef['handler'], BookingFunction>;

  constructor(scope: Construct, id: string, props: BookingWebSocketProps) {
    super(scope, id);

    this.authorizerFunction = new BookingFunction(this, 'AuthorizerFunction', {
      entry: path.join(PROJECT_ROOT, wsHandlerEntry(WS_AUTHORIZER.handler)),
      description: `WebSocket $connect authorizer (${WS_AUTHORIZER.handler})`,
      environment: {
        [WS_ENV.jwtIssuer]: props.jwtIssuer,
        [WS_ENV.jwtAudience]: props.jwtAudience,
      },
    });
    const authorizer = new WebSocketLambdaAuthorizer('TokenAuthorizer', this.authorizerFunction, {
      identitySource: [WS_AUTHORIZER.identitySource],
    });

    const functions = {} as Record<WsRouteDef['handler'], BookingFunction>;
    const routeOptions: Partial<Record<(typeof ROUTE_OPTIONS)[WsRouteKey], WebSocketRouteOptions>> = {};
    for (const route of WS_ROUTES) {
      const name = pascal(route.routeKey);
      const usesTable = TABLE_HANDLERS.has(route.handler);
      const fn = new BookingFunction(this, `${name}Function`, {
        entry: path.join(PROJECT_ROOT, wsHandlerEntry(route.handler)),
        description: `WebSocket ${route.routeKey} (${route.handler})`,
        environment: usesTable ? { [ENV.tableName]: props.table.tableName } : {},
      });
      if (usesTable) grantTableAccess(props.table, fn, 'write');
      functions[route.handler] = fn;
      routeOptions[ROUTE_OPTIONS[route.routeKey]] = {
        integration: new WebSocketLambdaIntegration(`${name}Integration`, fn),
        ...(route.authorizer ? { authorizer } : {}),
      };
    }
    this.functions = functions;

    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-notifications`,
      description: 'Mentorship notifications (WebSocket)',
      ...routeOptions,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            eventType: '$context.eventType',
            connectionId: '$context.connectionId',
            status: '$context.status',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    for (const route of WS_ROUTES.filter((r) => r.managesConnections)) this.grantPush(functions[route.handler]);
  }

  /** `wss://{apiId}.execute-api.{region}.amazonaws.com/{stage}`: where clients connect (with `?token=<JWT>`). */
  get url(): string {
    return this.stage.url;
  }

  /**
   * Let `fn` push to connections: WEBSOCKET_MANAGEMENT_URL (the stage's callback URL) and
   * `execute-api:ManageConnections` on this API's stage only.
   */
  grantPush(fn: LambdaFunction): void {
    fn.addEnvironment(WS_ENV.websocketManagementUrl, this.stage.callbackUrl);
    // arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/*/@connections/*
    this.stage.grantManagementApiAccess(fn);
  }
}
