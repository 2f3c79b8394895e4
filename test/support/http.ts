/**
 * Calling a handler the way API Gateway does: a payload 2.0 event with the JWT claims in
 * the shape the HTTP API's JWT authorizer passes them (arrays flattened to "[a b]").
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { documentContract } from './contract';

export interface TestCaller {
  sub: string;
  groups: string[];
  name?: string;
  /** The `token_use` claim; default `id` (the ID token every client sends). */
  tokenUse?: string;
}

export const caller = (sub: string, ...groups: string[]): TestCaller => ({ sub, groups, name: sub });

export interface CallOptions {
  as?: TestCaller;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export const httpEvent = (routeKey: string, opts: CallOptions = {}): APIGatewayProxyEventV2WithJWTAuthorizer => {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_, k: string) => opts.pathParameters?.[k] ?? '');
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const claims = opts.as
    ? {
        sub: opts.as.sub,
        token_use: opts.as.tokenUse ?? 'id',
        'cognito:groups': `[${opts.as.groups.join(' ')}]`,
        email: `${opts.as.sub}@example.com`,
        ...(opts.as.name ? { name: opts.as.name } : {}),
      }
    : undefined;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(opts.query ?? {}).toString(),
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    ...(opts.query ? { queryStringParameters: opts.query } : {}),
    ...(opts.pathParameters ? { pathParameters: opts.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } } : {}),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
};

const context = { functionName: 'test', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Invokes a handler and returns the status and the parsed JSON body. The answer of a route of
 * the document must be one it describes (test/support/contract.ts): a mismatch throws.
 */
export const call = async (handler: unknown, routeKey: string, opts: CallOptions = {}) => {
  const res = await (handler as Handler)(httpEvent(routeKey, opts), context);
  const [method, template] = routeKey.split(' ') as [string, string];
  const contract = documentContract();
  const contentType = res.headers?.['content-type'] === undefined ? undefined : String(res.headers['content-type']);
  if (contract.templateOf(method, template) === template) contract.assertDescribed({ method, path: template, status: res.statusCode!, body: res.body, contentType });
  // A file (text/calendar…) is returned as the text it is.
  const json = contentType === undefined || contentType.startsWith('application/json');
  return { status: res.statusCode!, body: res.body ? (json ? JSON.parse(res.body) : res.body) : undefined, headers: res.headers };
};
