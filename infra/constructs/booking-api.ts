import * as path from 'node:path';
import { Duration, NestedStack } from 'aws-cdk-lib';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { API_INTEGRATION_TIMEOUT_SECONDS, handlerEntry, routeMemoryMb, ROUTES, routeTimeoutSeconds, type RouteDef } from '../../shared/http/routes';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';
import { grantTableAccess } from './table-access';

export interface BookingApiProps {
  table: ITable;
  /** Browser origins allowed by CORS, and passed to the functions. */
  allowedOrigins: string[];
  /** The JWT issuer (the Cognito user pool's URL) and the accepted audience (the client id). */
  jwtIssuer: string;
  jwtAudience: string;
  /** The default stage's throttling (all routes): steady requests per second and burst. */
  throttle: StageThrottle;
}

export interface StageThrottle {
  rateLimit: number;
  burstLimit: number;
}

/**
 * One JSON line per request in the access log. `status` is a number so that metric filters
 * can compare it (the webhook signature alarm counts `POST /webhooks/paystack` answered 401).
 */
export const HTTP_ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/** The format as API Gateway wants it: numbers unquoted. */
const accessLogFormat = (fields: Record<string, string>, numeric: readonly string[]): string =>
  '{' +
  Object.entries(fields)
    .map(([k, v]) => (numeric.includes(k) ? `"${k}":${v}` : `"${k}":"${v}"`))
    .join(',') +
  '}';

/** `POST /sessions/{sessionId}/approve` → `PostSessionsSessionIdApprove`: stable, readable construct ids. */
const constructId = (r: RouteDef): string =>
  [r.method.toLowerCase(), ...r.path.split(/[/{}]+/)]
    .filter(Boolean)
    .map((s) => s[0]!.toUpperCase() + s.slice(1))
    .join('');

/**
 * The HTTP API: CORS preflight answered by API Gateway, a Cognito JWT authorizer, and for
 * each entry of `ROUTES` (shared/http/routes.ts) one function and one route, the authorizer
 * attached exactly when the entry says `authBy: 'jwt'`, the function given the entry's timeout,
 * memory and table access.
 *
 * The functions (each with its role, policy and log group) are in a nested stack,
 * `functionsStack`: a route costs about eight resources, and one template holds at most 500.
 * The API, its routes, integrations and Lambda permissions stay in the parent; CloudFormation
 * passes the table's and the other parent resources' names and ARNs in as parameters, and each
 * function's ARN out as an output.
 */
export class BookingApi extends Construct {
  readonly httpApi: HttpApi;
  /** The functions by handler name. */
  readonly functions: Record<string, BookingFunction> = {};
  /** The routes by handler name. */
  readonly routes: Record<string, HttpRoute> = {};
  /** The default stage's access log (one JSON line per request, HTTP_ACCESS_LOG_FORMAT). */
  readonly accessLogs: LogGroup;
  /** The nested stack of the route functions (and of whatever belongs beside them: their alarms, constructs/monitoring.ts). */
  readonly functionsStack: NestedStack;

  constructor(scope: Construct, id: string, props: BookingApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Mentorship booking API',
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowHeaders: ['Authorization', 'Content-Type'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        maxAge: Duration.hours(1),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    // HttpApi creates the $default stage itself and takes no stage settings: set them on its CfnStage.
    const stage = this.httpApi.defaultStage!.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: this.accessLogs.logGroupArn,
      // Only `status` unquoted: it is always set; the others may be `-` (e.g. no integration).
      format: accessLogFormat(HTTP_ACCESS_LOG_FORMAT, ['status']),
    };
    stage.defaultRouteSettings = { throttlingRateLimit: props.throttle.rateLimit, throttlingBurstLimit: props.throttle.burstLimit };

    const jwt = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const none = new HttpNoneAuthorizer();
    this.functionsStack = new NestedStack(this, 'RouteFunctions', { description: 'The HTTP API route functions' });

    for (const route of ROUTES) {
      const name = constructId(route);
      const timeout = routeTimeoutSeconds(route);
      if (!(Number.isInteger(timeout) && timeout > 0 && timeout <= API_INTEGRATION_TIMEOUT_SECONDS)) {
        throw new Error(`${route.handler}'s timeoutSeconds is ${timeout}; API Gateway gives up after ${API_INTEGRATION_TIMEOUT_SECONDS} s`);
      }
      const fn = new BookingFunction(this.functionsStack, `${name}Function`, {
        entry: path.join(PROJECT_ROOT, handlerEntry(route)),
        description: `${route.method} ${route.path} (${route.handler})`,
        timeout: Duration.seconds(timeout),
        memorySize: routeMemoryMb(route),
        environment: {
          [ENV.tableName]: props.table.tableName,
          [ENV.allowedOrigins]: props.allowedOrigins.join(','),
        },
      });
      // The rest of the entry's access (workflow, Paystack, Zoom, email, Cognito) is granted by the stack, which has them all.
      grantTableAccess(props.table, fn, route.access.table);
      this.routes[route.handler] = new HttpRoute(this, `${name}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${name}Integration`, fn),
        authorizer: route.authBy === 'jwt' ? jwt : none,
      });
      this.functions[route.handler] = fn;
    }
  }
}
