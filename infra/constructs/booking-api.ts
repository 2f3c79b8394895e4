import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { handlerEntry, ROUTES, type RouteDef } from '../../shared/http/routes';
import { BookingFunction } from './booking-function';
import { PROJECT_ROOT } from './paths';

export interface BookingApiProps {
  table: ITable;
  /** Browser origins allowed by CORS, and passed to the functions. */
  allowedOrigins: string[];
  /** The JWT issuer (the Cognito user pool's URL) and the accepted audience (the client id). */
  jwtIssuer: string;
  jwtAudience: string;
  /** Timeouts by ROUTES `handler`; the others get BookingFunction's default. */
  timeouts?: Readonly<Partial<Record<string, Duration>>>;
}

/** `POST /sessions/{sessionId}/approve` → `PostSessionsSessionIdApprove`: stable, readable construct ids. */
const constructId = (r: RouteDef): string =>
  [r.method.toLowerCase(), ...r.path.split(/[/{}]+/)]
    .filter(Boolean)
    .map((s) => s[0]!.toUpperCase() + s.slice(1))
    .join('');

/**
 * The HTTP API: CORS preflight answered by API Gateway, a Cognito JWT authorizer, and for
 * each entry of `ROUTES` (shared/http/routes.ts) one function and one route, the authorizer
 * attached exactly when the entry says `auth: true`.
 */
export class BookingApi extends Construct {
  readonly httpApi: HttpApi;
  /** The functions by handler name. */
  readonly functions: Record<string, BookingFunction> = {};

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
    const jwt = new HttpJwtAuthorizer('CognitoJwt', props.jwtIssuer, { jwtAudience: [props.jwtAudience] });
    const none = new HttpNoneAuthorizer();

    for (const route of ROUTES) {
      const name = constructId(route);
      const fn = new BookingFunction(this, `${name}Function`, {
        entry: path.join(PROJECT_ROOT, handlerEntry(route)),
        description: `${route.method} ${route.path} (${route.handler})`,
        ...(props.timeouts?.[route.handler] ? { timeout: props.timeouts[route.handler] } : {}),
        environment: {
          [ENV.tableName]: props.table.tableName,
          [ENV.allowedOrigins]: props.allowedOrigins.join(','),
        },
      });
      props.table.grantReadWriteData(fn);
      new HttpRoute(this, `${name}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${name}Integration`, fn),
        authorizer: route.auth ? jwt : none,
      });
      this.functions[route.handler] = fn;
    }
  }
}
