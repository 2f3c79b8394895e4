/**
 * Targeted facts about the synthesized template (no snapshot): the table matches TABLE,
 * every ROUTES entry has its function and route, auth is on exactly where the route table
 * says, Cognito and CORS are as the front end expects, the Paystack and Zoom secrets are
 * readable by the functions that call them and by no other, the WebSocket API has its routes
 * and authorizer, and only the table stream's push consumer (and $default) may post to its
 * connections (the stream itself: streams.test.ts).
 * Bundling is skipped, so this is fast. The booking workflow (state machine, step functions,
 * Step Functions permissions) is covered by workflow.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { projectionOf, TABLE } from '../shared/data/table';
import { ENV } from '../shared/config';
import { ROUTES, routeKey } from '../shared/http/routes';
import { verifyWebhookSignature } from '../shared/integrations/paystack';
import { verifyZoomWebhookSignature } from '../shared/integrations/zoom-webhook';
import { MEETING_CLAIM_LEASE_MS } from '../shared/usecases/meetings';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
import { STREAM_CONSUMERS } from '../shared/streams/consumers';
import { WS_ENV } from '../shared/ws/config';
import { WS_AUTHORIZER, WS_ROUTES } from '../shared/ws/routes';
import { MentorshipStack, type MentorshipStackProps } from './stack';
import { templatesOf } from '../test/support/templates';
import { CDK_JSON_CONTEXT, cdkApp } from '../test/support/cdk';

/** The same elements in any order (CloudFormation values compared as JSON). */
const sameSet = (a: unknown[], b: unknown[]) =>
  a.length === b.length && JSON.stringify(a.map((x) => JSON.stringify(x)).sort()) === JSON.stringify(b.map((x) => JSON.stringify(x)).sort());

const synth = (stage: string, allowedOrigins?: string[], more: Partial<MentorshipStackProps> = {}): Template => {
  const app = cdkApp();
  const stack = new MentorshipStack(app, `Mentorship-${stage}`, { stage, ...(allowedOrigins ? { allowedOrigins } : {}), ...more });
  return templatesOf(stack).all;
};

/** The handlers that call Paystack, spelled out here (not imported) so the test is a second opinion. */
const PAYSTACK_CALLERS = ['createSession', 'startPayment', 'paystackWebhook', 'listBanks', 'putMyPayoutAccount'];

/** The other functions that call Paystack, by their description: the consumer that asks for the refunds owed. */
const PAYSTACK_STREAM_CALLERS = ['Table stream: requestRefunds'];

/** The workflow steps that call Paystack: they verify a booking's open transaction before releasing it. */
const PAYSTACK_STEP_CALLERS = ['step: cancelUnpaid', 'step: releaseOnError'];

/** The functions that call Zoom, by their description's ending (route handlers, workflow steps, the consumer that moves and deletes meetings). */
const ZOOM_CALLERS = ['(getHostLink)', '(putMyZoomUser)', 'step: confirmBooking', 'step: meetingFallback', 'Table stream: requestRefunds'];

/** The functions that receive Zoom's webhooks: the Zoom secret (its webhook token), none of Zoom's URLs. */
const ZOOM_WEBHOOK_RECEIVERS = ['(zoomWebhook)'];
/** Who reads the key of the unsubscribe links: the email consumer signs them, the unsubscribe route checks them. */
const EMAIL_LINK_READERS = ['Table stream: emailNotifications', '(emailUnsubscribe)'];

/**
 * The functions that post to WebSocket connections: the table stream's pushNotifications
 * (producers only store notifications), and the WebSocket $default (pongs).
 */
const PUSHERS = ['stream: pushNotifications', '$default (default)'];

/** The four functions of the WebSocket API: its authorizer and one per WS_ROUTES entry. */
const WS_FUNCTION_COUNT = WS_ROUTES.length + 1;

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** Route functions' logical ids by handler (their description ends with `(<handler>)`). */
const routeFunctionIds = (template: Template): Record<string, string> => {
  const fns = template.findResources('AWS::Lambda::Function') as Resources;
  return Object.fromEntries(
    ROUTES.map((r) => {
      const ids = Object.keys(fns).filter((id) => String(fns[id]!.Properties.Description).endsWith(`(${r.handler})`));
      expect(ids).toHaveLength(1);
      return [r.handler, ids[0]!];
    }),
  );
};

/**
 * Whether a policy statement is on `resource`, alone or among others: cdk.json's
 * minimizePolicies merges a role's statements that differ only in their resources.
 */
const grants = (s: { Resource: unknown }, resource: unknown): boolean => [s.Resource].flat().some((r) => JSON.stringify(r) === JSON.stringify(resource));

/** The logical ids of the functions whose role has a policy statement matching `test`. */
const functionsWhoseRole = (template: Template, test: (s: { Action: string | string[]; Resource: unknown }) => boolean): string[] => {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  const roles = new Set(
    policies
      .filter((p) => (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).some(test))
      .flatMap((p) => (p.Properties.Roles as { Ref: string }[]).map((r) => r.Ref)),
  );
  const fns = template.findResources('AWS::Lambda::Function') as Resources;
  return Object.keys(fns).filter((id) => roles.has(fns[id]!.Properties.Role['Fn::GetAtt'][0]));
};

/** The logical ids of the functions whose description ends with one of `suffixes` (each must match exactly one). */
const functionsEndingWith = (template: Template, suffixes: string[]): string[] => {
  const fns = template.findResources('AWS::Lambda::Function') as Resources;
  return suffixes.map((suffix) => {
    const ids = Object.keys(fns).filter((id) => String(fns[id]!.Properties.Description).endsWith(suffix));
    expect([suffix, ids.length]).toEqual([suffix, 1]);
    return ids[0]!;
  });
};

/** `(cancelSession)`, `step: confirmBooking`, `$default (default)`: how a function is named in these tests. */
const nameOf = (template: Template, id: string, names: string[]): string =>
  names.find((n) => String((template.toJSON().Resources as Resources)[id]!.Properties.Description).endsWith(n)) ?? id;

/** The logical id of the single resource of `type` whose properties match `props`. */
const logicalIdOf = (template: Template, type: string, props: Record<string, unknown> = {}): string => {
  const found = Object.keys(template.findResources(type, { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('The stack', () => {
  const template = synth('dev');

  describe('table', () => {
    it('creates one on-demand table with the key schema of TABLE', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        TableName: Match.absent(),
      });
    });

    it('creates every index of TABLE with string keys and its projection', () => {
      const keys = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        AttributeDefinitions: Match.arrayWith(keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
        GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: projectionOf(i),
        })),
      });
    });

    it('expires items on the TTL attribute of TABLE', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      });
    });

    it('creates the table with point-in-time recovery and retains it', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('leaves deletion protection off outside prod', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
    });
  });

  describe('functions', () => {
    it('creates one function per route, one per workflow step, the WebSocket API’s, one per stream consumer, the Cognito trigger, the SES events subscriber and the timeline’s step, and no other', () => {
      // + 3: the Cognito post-confirmation trigger, the SES bounces and complaints subscriber (infra/constructs/email.ts) and the timeline schedules' target.
      template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + WORKFLOW_STEPS.length + WS_FUNCTION_COUNT + STREAM_CONSUMERS.length + 3);
    });

    it('makes every route’s function Node.js 22 on arm64, traced, 512 MB', () => {
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: {
          Description: Match.stringLikeRegexp('^(GET|POST|PUT|DELETE) /'),
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: 512,
          TracingConfig: { Mode: 'Active' },
        },
      });
      expect(Object.keys(functions)).toHaveLength(ROUTES.length);
    });

    it('gives the Paystack webhook 30 s (API Gateway’s limit), createSession and startPayment 15 s, every other route 10 s', () => {
      const ids = routeFunctionIds(template);
      const resources = template.toJSON().Resources as Resources;
      const timeouts = Object.fromEntries(ROUTES.map((r) => [r.handler, resources[ids[r.handler]!]!.Properties.Timeout]));
      const expected: Record<string, number> = { paystackWebhook: 30, createSession: 15, startPayment: 15 };
      expect(timeouts).toEqual(Object.fromEntries(ROUTES.map((r) => [r.handler, expected[r.handler] ?? 10])));
      for (const t of Object.values(timeouts)) expect(t).toBeLessThanOrEqual(30);
    });

    it('gives every route’s function the table name and the allowed origins in its environment', () => {
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table');
      const functions = template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: {
            Variables: Match.objectLike({
              [ENV.tableName]: { Ref: tableId },
              [ENV.allowedOrigins]: 'http://localhost:5173,http://localhost:3000',
            }),
          },
        },
      });
      expect(Object.keys(functions)).toHaveLength(ROUTES.length);
    });

    it('lets GET routes only read the table (the health check one item), and every other route, workflow step, $connect and $disconnect read and write it; nobody may Scan', () => {
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table');
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
      const indexArns = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      const resources = template.toJSON().Resources as Resources;
      const statements = (fnId: string) =>
        Object.values(template.findResources('AWS::IAM::Policy'))
          .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === resources[fnId]!.Properties.Role['Fn::GetAtt'][0]))
          .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const tableActions = (fnId: string) =>
        statements(fnId)
          // Order-free: minimizePolicies sorts a statement's resources.
          .filter((st) => sameSet([st.Resource].flat(), [tableArn, indexArns]))
          .flatMap((st) => [st.Action].flat())
          .sort();
      const reads = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'];
      // Transactions are authorized per item by these actions; there is no TransactWriteItems action.
      const readWrite = [...reads, 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'].sort();
      const ids = routeFunctionIds(template);
      for (const r of ROUTES.filter((route) => route.handler !== 'health')) {
        expect([r.handler, tableActions(ids[r.handler]!)]).toEqual([r.handler, r.method === 'GET' ? reads : readWrite]);
      }
      // The health check: one GetItem of the health item, on the table only.
      expect(statements(ids.health!).filter((st) => [st.Action].flat().some((a) => a.startsWith('dynamodb:')))).toEqual([
        { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: tableArn, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['HEALTH'] } } },
      ]);
      for (const id of functionsEndingWith(template, [...WORKFLOW_STEPS.map((s) => `step: ${s}`), '$connect (connect)', '$disconnect (disconnect)'])) {
        expect(tableActions(id)).toEqual(readWrite);
      }
      const wsReaders = functionsWhoseRole(template, (s) => JSON.stringify(s.Resource).includes(`"${tableId}"`)).filter((id) =>
        String(resources[id]!.Properties.Description).startsWith('WebSocket'),
      );
      expect(wsReaders.sort()).toEqual(functionsEndingWith(template, ['$connect (connect)', '$disconnect (disconnect)']).sort());
      const every = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
      const actions = every.flatMap((st) => [st.Action].flat());
      expect(actions.filter((a) => /Scan|BatchWriteItem|^dynamodb:\*$|^\*$/.test(a))).toEqual([]);
    });

    it('keeps each function’s logs, the workflow’s and the two APIs’ access logs for a month in a log group of their own', () => {
      // + 3: the Cognito trigger's, the SES events subscriber's and the timeline step's; + 1 the workflow's; + 2 the APIs' access logs.
      template.resourceCountIs('AWS::Logs::LogGroup', ROUTES.length + WORKFLOW_STEPS.length + WS_FUNCTION_COUNT + STREAM_CONSUMERS.length + 3 + 1 + 2);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });
  });

  describe('HTTP API', () => {
    const httpApi = () => ({ Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' }) });
    const jwtAuthorizer = () => ({ Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' }) });

    it('creates one route per entry of ROUTES', () => {
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: httpApi() } }))).toHaveLength(ROUTES.length);
    });

    it.each(ROUTES.filter((r) => r.authBy === 'jwt').map(routeKey))('puts %s behind the JWT authorizer', (key) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        ApiId: httpApi(),
        RouteKey: key,
        AuthorizationType: 'JWT',
        AuthorizerId: jwtAuthorizer(),
      });
    });

    it.each([
      ['POST /sessions/{sessionId}/cancel', 'cancelSession'],
      ['POST /sessions/{sessionId}/review', 'reviewSession'],
      ['PUT /sessions/{sessionId}/meeting-url', 'setMeetingUrl'],
      ['GET /sessions/{sessionId}/recordings', 'listRecordings'],
    ])('has %s, behind the JWT authorizer, sent to %s', (key, handler) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: httpApi(), RouteKey: key, AuthorizationType: 'JWT', AuthorizerId: jwtAuthorizer() });
      expect(ROUTES.find((r) => routeKey(r) === key)).toMatchObject({ handler, authBy: 'jwt' });
    });

    it.each(ROUTES.filter((r) => r.authBy !== 'jwt').map(routeKey))('leaves %s open, without an authorizer', (key) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    });

    it.each(ROUTES.map((r) => [routeKey(r), r.handler] as const))('sends %s to the function built from %s', (key, handler) => {
      const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } }))[0];
      const integrationId = route?.Properties.Target['Fn::Join'][1][1].Ref as string;
      const integration = template.toJSON().Resources[integrationId];
      const functionId = integration.Properties.IntegrationUri['Fn::GetAtt'][0] as string;
      const fn = template.toJSON().Resources[functionId];
      expect(fn.Type).toBe('AWS::Lambda::Function');
      expect(fn.Properties.Description).toBe(`${key} (${handler})`);
    });

    it('sends /health without any authorizer', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /health', AuthorizationType: 'NONE' });
    });

    it('has the payment routes: Proceed to Payment and the wallet behind the JWT authorizer, the Paystack webhook open', () => {
      for (const key of ['POST /sessions/{sessionId}/payment', 'GET /me/wallet']) {
        template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'JWT' });
      }
      // Paystack signs the webhook (HMAC-SHA512 of the body); it has no JWT to send.
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'POST /webhooks/paystack',
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    });

    it('checks JWTs issued by the user pool for the web client', () => {
      const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
      const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { ApiId: httpApi() } }))).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: httpApi(),
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] },
        },
      });
    });

    it('answers CORS preflight for the local front-end origins by default', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['http://localhost:5173', 'http://localhost:3000'],
          AllowHeaders: ['Authorization', 'Content-Type'],
          AllowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
          MaxAge: 3600,
        },
      });
    });

    it('uses payload format 2.0 for every Lambda integration', () => {
      const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration', { Properties: { ApiId: httpApi() } }));
      expect(integrations).toHaveLength(ROUTES.length);
      for (const i of integrations) expect(i.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    });
  });

  describe('Cognito', () => {
    it('lets users sign themselves up with their email and name', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'name', Required: true })]),
      });
    });

    it('creates a public client with SRP and password sign-in', () => {
      template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
      const [client] = Object.values(template.findResources('AWS::Cognito::UserPoolClient', { Properties: { GenerateSecret: false } }));
      expect(client?.Properties.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH']));
    });

    const resources = template.toJSON().Resources as Resources;
    const poolArn = () => ({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Cognito::UserPool'), 'Arn'] });
    const statementsOf = (fnId: string) => {
      const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0] as string;
      return Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[]);
    };

    it('runs the post-confirmation trigger on a confirmed sign-up, with the table name and the right to invoke it from this pool only', () => {
      const [trigger] = functionsEndingWith(template, ['(postConfirmation)']);
      template.hasResourceProperties('AWS::Cognito::UserPool', { LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': [trigger, 'Arn'] } } });
      expect(resources[trigger!]!.Properties.Environment.Variables[ENV.tableName]).toEqual({ Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [trigger, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceArn: poolArn(),
      });
    });

    // A dependency cycle between the pool and its trigger fails Template.fromStack itself (synth above).
    it('lets the trigger write user items only, and add users to groups of this pool only', () => {
      const [trigger] = functionsEndingWith(template, ['(postConfirmation)']);
      const tableArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::Table'), 'Arn'] };
      const statements = statementsOf(trigger!).filter((st) => ![st.Action].flat().every((a) => a.startsWith('xray:')));
      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
          Resource: tableArn,
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['USER#*'] } },
        },
        { Effect: 'Allow', Action: 'cognito-idp:AdminAddUserToGroup', Resource: poolArn() },
      ]);
    });

    it('lets exactly the trigger and the approval of an application to tutor change groups, and tells the approval the pool', () => {
      const changers = functionsWhoseRole(template, (st) => [st.Action].flat().some((a) => a.startsWith('cognito-idp:')));
      const names = ['(postConfirmation)', '(approveTutorApplication)'];
      expect(changers.map((id) => nameOf(template, id, names)).sort()).toEqual([...names].sort());
      const approve = routeFunctionIds(template).approveTutorApplication!;
      expect(resources[approve]!.Properties.Environment.Variables[ENV.userPoolId]).toEqual({ Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') });
      for (const id of changers) {
        for (const st of statementsOf(id).filter((x) => [x.Action].flat().some((a) => a.startsWith('cognito-idp:')))) {
          expect(st).toEqual({ Effect: 'Allow', Action: 'cognito-idp:AdminAddUserToGroup', Resource: poolArn() });
        }
      }
    });

    it('serves managed login on a Cognito domain named after the stack, styled for the web client', () => {
      const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'mentorship-dev', UserPoolId: { Ref: poolId }, ManagedLoginVersion: 2 });
      template.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
        UserPoolId: { Ref: poolId },
        ClientId: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') },
        UseCognitoProvidedValues: true,
      });
    });

    it('lets the web client sign in by the authorization code grant only, with openid email profile, to the local web app by default, with no secret', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: ['http://localhost:5173/auth/callback'],
        LogoutURLs: ['http://localhost:5173/'],
        SupportedIdentityProviders: ['COGNITO'],
        IdTokenValidity: 60,
        RefreshTokenValidity: 43200,
        EnableTokenRevocation: true,
      });
    });

    it('takes the callback and logout URLs and the domain prefix from the props, and refuses bad ones', () => {
      const web = 'https://app.example.com';
      const t = synth('cbdev', undefined, {
        callbackUrls: [`${web}/auth/callback`, 'http://localhost:5173/auth/callback'],
        logoutUrls: [`${web}/`],
        authDomainPrefix: 'mentor-app',
      });
      t.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: [`${web}/auth/callback`, 'http://localhost:5173/auth/callback'], LogoutURLs: [`${web}/`] });
      t.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'mentor-app' });
      expect(() => synth('cbbad', undefined, { callbackUrls: ['http://app.example.com/auth/callback'] })).toThrow(/must be https/);
      expect(() => synth('cbbad2', undefined, { authDomainPrefix: 'my-cognito-login' })).toThrow(/authDomainPrefix/);
    });

    it('outputs what a frontend needs: API and WebSocket URLs, the authority, the client id, the region and the managed login domain', () => {
      const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
      const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
      const issuer = { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] };
      template.hasOutput('Authority', { Value: issuer });
      template.hasOutput('Region', { Value: { Ref: 'AWS::Region' } });
      template.hasOutput('UserPoolClientId', { Value: { Ref: clientId } });
      const domainId = logicalIdOf(template, 'AWS::Cognito::UserPoolDomain');
      template.hasOutput('UserPoolDomainUrl', { Value: { 'Fn::Join': ['', ['https://', { Ref: domainId }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']] } });
      const webConfig = JSON.stringify(template.findOutputs('WebConfig'));
      for (const part of ['apiUrl', 'wsUrl', 'authority', 'clientId', 'region', clientId, poolId]) expect(webConfig).toContain(part);
      template.hasOutput('HttpApiUrl', Match.anyValue());
      template.hasOutput('WebSocketUrl', Match.anyValue());
    });

    it('creates the student, tutor and admin groups in the pool', () => {
      const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
      template.resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
      for (const group of ['student', 'tutor', 'admin']) {
        template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group, UserPoolId: { Ref: poolId } });
      }
    });
  });

  describe('Paystack', () => {
    const resources = template.toJSON().Resources as Resources;
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"secretKey":""}' }) });
    const ids = routeFunctionIds(template);
    const streamCallers = functionsEndingWith(template, PAYSTACK_STREAM_CALLERS);
    const byHandler = (fnIds: string[]) => [
      ...Object.entries(ids)
        .filter(([, id]) => fnIds.includes(id))
        .map(([h]) => h)
        .sort(),
      ...PAYSTACK_STREAM_CALLERS.filter((_, i) => fnIds.includes(streamCallers[i]!)),
    ];
    const allCallers = [...[...PAYSTACK_CALLERS].sort(), ...PAYSTACK_STREAM_CALLERS];

    it('creates one secret for the key, with a generated placeholder and no value in the template', () => {
      const secret = resources[secretId]!.Properties;
      expect(secret.SecretString).toBeUndefined();
      expect(secret.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{"secretKey":""}', GenerateStringKey: 'placeholder' });
      expect(secret.Description).toMatch(/secretKey/);
    });

    it('outputs the secret’s ARN, telling the operator what to put in it, and the webhook URL', () => {
      template.hasOutput('PaystackSecretArn', { Value: { Ref: secretId }, Description: Match.stringLikeRegexp('"secretKey"') });
      template.hasOutput('PaystackWebhookUrl', {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' }), 'ApiEndpoint'] }, '/webhooks/paystack']] },
      });
    });

    it('gives exactly the Paystack callers the secret’s ARN, the API and the front-end URL', () => {
      const withArn = Object.keys(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Environment: { Variables: Match.objectLike({ [ENV.paystackSecretArn]: Match.anyValue() }) } },
        }),
      );
      const steps = functionsEndingWith(template, PAYSTACK_STEP_CALLERS);
      expect(byHandler(withArn)).toEqual(allCallers);
      expect(withArn.filter((id) => !byHandler([id]).length).sort()).toEqual([...steps].sort());
      expect(withArn).toHaveLength(allCallers.length + PAYSTACK_STEP_CALLERS.length);
      for (const id of [...PAYSTACK_CALLERS.map((h) => ids[h]!), ...streamCallers, ...steps]) {
        expect(resources[id]!.Properties.Environment.Variables).toMatchObject({
          [ENV.paystackSecretArn]: { Ref: secretId },
          [ENV.paystackBaseUrl]: 'https://api.paystack.co',
          [ENV.frontendUrl]: 'http://localhost:5173',
        });
      }
    });

    it('lets exactly the Paystack callers read the secret', () => {
      const readers = functionsWhoseRole(template, (s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')) && grants(s, { Ref: secretId }));
      expect(byHandler(readers)).toEqual(allCallers);
      expect(readers.filter((id) => !byHandler([id]).length).sort()).toEqual(functionsEndingWith(template, PAYSTACK_STEP_CALLERS).sort());
      expect(readers).toHaveLength(allCallers.length + PAYSTACK_STEP_CALLERS.length);
      const getters = functionsWhoseRole(template, (s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && grants(s, { Ref: secretId }));
      expect(getters.sort()).toEqual([...readers].sort());
    });

    it('keeps the secret from cancelSession: the refund it records is asked for by the table stream’s requestRefunds consumer', () => {
      expect(resources[ids.cancelSession!]!.Properties.Environment.Variables[ENV.paystackSecretArn]).toBeUndefined();
      const readers = functionsWhoseRole(template, (s) => grants(s, { Ref: secretId }));
      expect(readers).not.toContain(ids.cancelSession);
      expect(readers).toContain(streamCallers[0]);
    });

    it('takes the Paystack API and the front end from the props', () => {
      const custom = synth('staging', undefined, { paystackBaseUrl: 'https://paystack.example.test/', frontendUrl: 'https://app.example.com' });
      custom.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('\\(startPayment\\)$'),
        Environment: { Variables: Match.objectLike({ [ENV.paystackBaseUrl]: 'https://paystack.example.test', [ENV.frontendUrl]: 'https://app.example.com' }) },
      });
      expect(() => synth('staging', undefined, { paystackBaseUrl: 'ftp://paystack' })).toThrow(/paystackBaseUrl/);
    });
  });

  describe('Zoom', () => {
    const resources = template.toJSON().Resources as Resources;
    const secretTemplate = '{"accountId":"","clientId":"","clientSecret":"","webhookSecretToken":""}';
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ SecretStringTemplate: secretTemplate }) });
    const callers = functionsEndingWith(template, ZOOM_CALLERS);
    const receivers = functionsEndingWith(template, ZOOM_WEBHOOK_RECEIVERS);
    const names = (fnIds: string[]) => fnIds.map((id) => nameOf(template, id, [...ZOOM_CALLERS, ...ZOOM_WEBHOOK_RECEIVERS])).sort();

    it('creates a second secret for the Zoom app’s credentials, with a generated placeholder and no value in the template', () => {
      // The third is the email link key (infra/constructs/email.ts).
      template.resourceCountIs('AWS::SecretsManager::Secret', 3);
      const secret = resources[secretId]!.Properties;
      expect(secret.SecretString).toBeUndefined();
      expect(secret.GenerateSecretString).toMatchObject({ SecretStringTemplate: secretTemplate, GenerateStringKey: 'placeholder' });
      expect(secret.Description).toMatch(/"accountId".*"clientId".*"clientSecret"/);
    });

    it('outputs the secret’s ARN, telling the operator what to put in it', () => {
      template.hasOutput('ZoomSecretArn', { Value: { Ref: secretId }, Description: Match.stringLikeRegexp('"clientSecret"') });
    });

    it('gives exactly the Zoom callers the secret’s ARN, Zoom’s URLs and the host user, and the webhook receiver only the ARN', () => {
      const withArn = Object.keys(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Environment: { Variables: Match.objectLike({ [ENV.zoomSecretArn]: Match.anyValue() }) } },
        }),
      );
      expect(withArn.sort()).toEqual([...callers, ...receivers].sort());
      for (const id of receivers) {
        const vars = resources[id]!.Properties.Environment.Variables;
        expect(vars[ENV.zoomSecretArn]).toEqual({ Ref: secretId });
        for (const name of [ENV.zoomApiBaseUrl, ENV.zoomOauthUrl, ENV.zoomUserId]) expect([name, vars[name]]).toEqual([name, undefined]);
      }
      for (const id of callers) {
        expect(resources[id]!.Properties.Environment.Variables).toMatchObject({
          [ENV.zoomSecretArn]: { Ref: secretId },
          [ENV.zoomApiBaseUrl]: 'https://api.zoom.us/v2',
          [ENV.zoomOauthUrl]: 'https://zoom.us/oauth/token',
          [ENV.zoomUserId]: 'me',
        });
      }
    });

    it('lets exactly the Zoom callers and the webhook receiver read the secret', () => {
      const readers = functionsWhoseRole(template, (s) => grants(s, { Ref: secretId }));
      expect(names(readers)).toEqual([...ZOOM_CALLERS, ...ZOOM_WEBHOOK_RECEIVERS].sort());
      const getters = functionsWhoseRole(template, (s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && grants(s, { Ref: secretId }));
      expect(getters.sort()).toEqual([...callers, ...receivers].sort());
    });

    it('lets no function read a secret it does not call', () => {
      const secretIds = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
      const anySecret = functionsWhoseRole(template, (s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
      const known = functionsWhoseRole(template, (s) => secretIds.some((id) => grants(s, { Ref: id })));
      expect(anySecret.sort()).toEqual(known.sort());
      expect(anySecret).toHaveLength(
        new Set([...PAYSTACK_CALLERS.map((h) => `(${h})`), ...PAYSTACK_STREAM_CALLERS, ...PAYSTACK_STEP_CALLERS, ...ZOOM_CALLERS, ...ZOOM_WEBHOOK_RECEIVERS, ...EMAIL_LINK_READERS])
          .size,
      );
    });

    it('takes the host user and Zoom’s URLs from the props, and refuses bad ones', () => {
      const custom = synth('staging', undefined, {
        zoomUserId: 'host@example.com',
        zoomApiBaseUrl: 'https://zoom.example.test/v2/',
        zoomOauthUrl: 'https://zoom.example.test/oauth/token',
      });
      custom.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('step: confirmBooking$'),
        Environment: {
          Variables: Match.objectLike({
            [ENV.zoomUserId]: 'host@example.com',
            [ENV.zoomApiBaseUrl]: 'https://zoom.example.test/v2',
            [ENV.zoomOauthUrl]: 'https://zoom.example.test/oauth/token',
          }),
        },
      });
      expect(() => synth('staging', undefined, { zoomUserId: 'me/../admin' })).toThrow(/zoomUserId/);
      expect(() => synth('staging', undefined, { zoomOauthUrl: 'zoom.us/oauth' })).toThrow(/zoomOauthUrl/);
    });

    describe('the confirmBooking step (it creates the meeting)', () => {
      const [createMeeting] = functionsEndingWith(template, ['step: confirmBooking']);

      it('has reserved concurrency (Zoom rate-limits meeting creation), and is the only function that has', () => {
        expect(resources[createMeeting!]!.Properties.ReservedConcurrentExecutions).toBe(10);
        const reserved = Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { ReservedConcurrentExecutions: Match.anyValue() } }));
        expect(reserved).toEqual([createMeeting]);
      });

      it('runs at most 30 s, less than the meeting creation claim’s lease', () => {
        const timeout = resources[createMeeting!]!.Properties.Timeout as number;
        expect(timeout).toBe(30);
        expect(timeout * 1000).toBeLessThan(MEETING_CLAIM_LEASE_MS);
      });

      it('takes its reserved concurrency from the props: another number, or none', () => {
        const concurrencyOf = (t: Template) =>
          Object.values(t.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('step: confirmBooking$') } }))[0]!.Properties
            .ReservedConcurrentExecutions;
        expect(concurrencyOf(synth('staging', undefined, { meetingConcurrency: 3 }))).toBe(3);
        expect(concurrencyOf(synth('staging', undefined, { meetingConcurrency: null }))).toBeUndefined();
        expect(() => synth('staging', undefined, { meetingConcurrency: 0 })).toThrow(/meetingConcurrency/);
      });
    });
  });

  describe('WebSocket API', () => {
    const resources = template.toJSON().Resources as Resources;
    const wsApiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
    const wsApi = { Ref: wsApiId };
    const stageId = logicalIdOf(template, 'AWS::ApiGatewayV2::Stage', { ApiId: wsApi });
    const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { ApiId: wsApi });
    const [authorizerFn] = functionsEndingWith(template, [`(${WS_AUTHORIZER.handler})`]);
    const callbackUrl = { 'Fn::Join': ['', ['https://', wsApi, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/live']] };
    const connectionsArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', wsApi, '/live/*/@connections/*']],
    };
    /** The function a route's integration invokes. */
    const functionOfRoute = (routeKey: string): string => {
      const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: wsApi, RouteKey: routeKey } }))[0]!;
      const integration = resources[route.Properties.Target['Fn::Join'][1][1].Ref as string]!;
      expect(integration.Properties).toMatchObject({ ApiId: wsApi, IntegrationType: 'AWS_PROXY' });
      return integration.Properties.IntegrationUri['Fn::Join'][1][5]['Fn::GetAtt'][0] as string;
    };

    it('has exactly the $connect, $disconnect and $default routes', () => {
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { ApiId: wsApi } }));
      expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(['$connect', '$default', '$disconnect']);
    });

    it('guards $connect with the Lambda REQUEST authorizer, reading the token query parameter', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: wsApi, RouteKey: '$connect', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        ApiId: wsApi,
        AuthorizerType: 'REQUEST',
        IdentitySource: ['route.request.querystring.token'],
        AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [authorizerFn, 'Arn'] }, '/invocations'])] },
      });
      expect(resources[authorizerId]!.Properties.IdentitySource).toEqual([WS_AUTHORIZER.identitySource]);
      template.hasResourceProperties('AWS::Lambda::Permission', {
        FunctionName: { 'Fn::GetAtt': [authorizerFn, 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
      });
    });

    it.each(['$disconnect', '$default'])('leaves %s without an authorizer (the connection was authorized on $connect)', (key) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { ApiId: wsApi, RouteKey: key, AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
    });

    it.each(WS_ROUTES.map((r) => [r.routeKey, r.handler] as const))('sends %s to the function built from functions/ws/%s.ts', (key, handler) => {
      expect(resources[functionOfRoute(key)]!.Properties.Description).toBe(`WebSocket ${key} (${handler})`);
    });

    it('checks the token against the same user pool and client as the HTTP API', () => {
      const poolId = logicalIdOf(template, 'AWS::Cognito::UserPool');
      const clientId = logicalIdOf(template, 'AWS::Cognito::UserPoolClient');
      const httpAuthorizer = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer', { Properties: { AuthorizerType: 'JWT' } }))[0]!;
      const vars = resources[authorizerFn!]!.Properties.Environment.Variables;
      expect(vars[WS_ENV.jwtIssuer]).toEqual({ 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] });
      expect(vars[WS_ENV.jwtAudience]).toEqual({ Ref: clientId });
      expect(vars[WS_ENV.jwtIssuer]).toEqual(httpAuthorizer.Properties.JwtConfiguration.Issuer);
      expect([vars[WS_ENV.jwtAudience]]).toEqual(httpAuthorizer.Properties.JwtConfiguration.Audience);
      expect(vars[WS_ENV.jwtJwksUrl]).toBeUndefined();
    });

    it('gives the authorizer no table and no permission beyond X-Ray (and its managed logging policy)', () => {
      const roleId = resources[authorizerFn!]!.Properties.Role['Fn::GetAtt'][0] as string;
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]);
      for (const s of statements) for (const a of [s.Action].flat()) expect(a).toMatch(/^xray:/);
      expect(resources[authorizerFn!]!.Properties.Environment.Variables[ENV.tableName]).toBeUndefined();
    });

    it('deploys the routes automatically to the `live` stage, output as WebSocketUrl', () => {
      expect(resources[stageId]!.Properties).toMatchObject({ StageName: 'live', AutoDeploy: true });
      template.hasOutput('WebSocketUrl', {
        Value: { 'Fn::Join': ['', ['wss://', wsApi, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/live']] },
      });
    });

    it('gives exactly the pushing function (and $default) the stage’s management URL', () => {
      const withUrl = Object.keys(
        template.findResources('AWS::Lambda::Function', {
          Properties: { Environment: { Variables: Match.objectLike({ [WS_ENV.websocketManagementUrl]: Match.anyValue() }) } },
        }),
      );
      expect(withUrl.map((id) => nameOf(template, id, PUSHERS)).sort()).toEqual([...PUSHERS].sort());
      for (const id of withUrl) expect(resources[id]!.Properties.Environment.Variables[WS_ENV.websocketManagementUrl]).toEqual(callbackUrl);
    });

    it('lets exactly the pushing function (and $default) post to connections, on this API’s stage only', () => {
      const managers = functionsWhoseRole(template, (s) => [s.Action].flat().some((a) => a.startsWith('execute-api:')));
      expect(managers.map((id) => nameOf(template, id, PUSHERS)).sort()).toEqual([...PUSHERS].sort());
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .flatMap((p) => p.Properties.PolicyDocument.Statement as { Effect: string; Action: string | string[]; Resource: unknown }[])
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('execute-api:')));
      expect(statements.length).toBeGreaterThan(0);
      for (const s of statements) expect(s).toEqual({ Effect: 'Allow', Action: 'execute-api:ManageConnections', Resource: connectionsArn });
    });

    it('names the WebSocket routes in one place: WS_ROUTES says which manages connections', () => {
      expect(WS_ROUTES.filter((r) => r.managesConnections).map((r) => `${r.routeKey} (${r.handler})`)).toEqual(['$default (default)']);
    });
  });

  it('puts no secret-looking value in any function’s environment', () => {
    const fns = template.findResources('AWS::Lambda::Function') as Resources;
    const secretIds = new Set(Object.keys(template.findResources('AWS::SecretsManager::Secret')));
    const forbidden = [ENV.paystackSecretKey, ENV.zoomAccountId, ENV.zoomClientId, ENV.zoomClientSecret, ENV.zoomWebhookSecretToken];
    for (const fn of Object.values(fns)) {
      const vars = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const name of forbidden) expect([name, vars[name]]).toEqual([name, undefined]);
      for (const [name, value] of Object.entries(vars)) {
        // Anything named like a secret is a secret's ARN, by reference to a secret of this stack.
        if (/SECRET|PASSWORD|TOKEN|KEY|CREDENTIAL/i.test(name)) {
          expect(name).toMatch(/_ARN$/);
          expect(secretIds.has((value as { Ref?: string })?.Ref ?? '')).toBe(true);
        }
        // No literal looks like a key, a token or a private key.
        if (typeof value === 'string')
          expect([name, value]).not.toEqual([name, expect.stringMatching(/sk_(live|test)_|pk_(live|test)_|eyJ[\w-]{10,}|PRIVATE KEY|^[A-Za-z0-9+/_-]{32,}={0,2}$/)]);
      }
    }
  });

  it('outputs the API URL, the user pool and client ids, the table name and the state machine ARN', () => {
    template.hasOutput('HttpApiUrl', { Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' }), 'ApiEndpoint'] } });
    template.hasOutput('UserPoolId', { Value: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') } });
    template.hasOutput('TableName', { Value: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') } });
    template.hasOutput('StateMachineArn', { Value: { Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine') } });
  });

  describe('feature flags (cdk.json)', () => {
    /**
     * Left off on purpose: smithy excluded from the bundles would run the runtime's @smithy/core
     * (shared/http/unavailable.ts imports a recent subpath of it); CDK-managed log groups for
     * CDK's own singleton functions collide with the ones Lambda made on a deployed stack; the
     * web log bucket's canned ACL stays while CloudFront's standard logs rely on ACLs there.
     */
    const LEFT_OFF = ['@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages', '@aws-cdk/aws-lambda:useCdkManagedLogGroup', '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy'];

    it('sets every flag aws-cdk-lib recommends, to the recommended value but for the few left off on purpose', () => {
      const recommended = JSON.parse(readFileSync(join(__dirname, '..', 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(recommended).length).toBeGreaterThan(80);
      for (const [flag, value] of Object.entries(recommended)) expect([flag, CDK_JSON_CONTEXT[flag]]).toEqual([flag, LEFT_OFF.includes(flag) ? false : value]);
    });

    it('merges statements that differ only in their resources (minimizePolicies): the requestRefunds consumer reads both secrets through one statement', () => {
      const secretWith = (secretStringTemplate: string) =>
        logicalIdOf(template, 'AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ SecretStringTemplate: secretStringTemplate }) });
      const [paystack, zoom] = [secretWith('{"secretKey":""}'), secretWith('{"accountId":"","clientId":"","clientSecret":"","webhookSecretToken":""}')];
      const [consumerId] = functionsEndingWith(template, ['Table stream: requestRefunds']);
      const consumer = (template.toJSON().Resources as Resources)[consumerId!]!;
      const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === consumer.Properties.Role['Fn::GetAtt'][0]),
      );
      const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]);
      const secretStatements = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
      expect(secretStatements).toEqual([
        { Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Effect: 'Allow', Resource: [{ Ref: paystack }, { Ref: zoom }] },
      ]);
    });
  });
});

/** What a template may hold (CloudFormation quotas), and what ours keep free for routes to come. */
const TEMPLATE_LIMITS = { resources: 500, parameters: 200, outputs: 200 };
const MAX_RESOURCES = 450;

describe('CloudFormation’s limits, per template', () => {
  const app = cdkApp();
  // The largest stack the CDK app makes: web hosting on (a placeholder page without a build).
  const stack = new MentorshipStack(app, 'Mentorship-dev', { stage: 'dev', web: { appDir: join(__dirname, 'no-such-web-dist') } });
  const templates = templatesOf(stack);
  const [nestedPath, nested] = Object.entries(templates.nested)[0] ?? [];
  const count = (t: Template, section: 'Resources' | 'Parameters' | 'Outputs') => Object.keys(t.toJSON()[section] ?? {}).length;
  const countOf = (t: Template, type: string) => Object.keys(t.findResources(type)).length;

  it('puts the route functions in one nested stack', () => {
    expect(Object.keys(templates.nested)).toEqual(['Mentorship-dev/Api/RouteFunctions']);
    expect(nestedPath).toBeDefined();
  });

  it(`keeps each template under ${MAX_RESOURCES} resources (CloudFormation takes ${TEMPLATE_LIMITS.resources}): room for more routes`, () => {
    expect(count(templates.parent, 'Resources')).toBeLessThanOrEqual(MAX_RESOURCES);
    expect(count(nested!, 'Resources')).toBeLessThanOrEqual(MAX_RESOURCES);
  });

  it('has in the nested stack each route’s function, role, policy, log group and failure alarm, and nothing else', () => {
    for (const type of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Logs::LogGroup', 'AWS::CloudWatch::Alarm']) {
      expect([type, countOf(nested!, type)]).toEqual([type, ROUTES.length]);
    }
    expect(count(nested!, 'Resources')).toBe(5 * ROUTES.length);
    // No route function is left in the parent (their descriptions are `<method> <path> (<handler>)`).
    const routeDescriptions = new Set(ROUTES.map((r) => `${r.method} ${r.path} (${r.handler})`));
    const inParent = Object.values(templates.parent.findResources('AWS::Lambda::Function')).filter((f) => routeDescriptions.has(String(f.Properties.Description)));
    expect(inParent).toEqual([]);
    expect(Object.values(nested!.findResources('AWS::Lambda::Function')).filter((f) => routeDescriptions.has(String(f.Properties.Description)))).toHaveLength(ROUTES.length);
  });

  it('keeps in the parent per route only its route, integration and Lambda permission', () => {
    const httpApi = Object.keys(templates.parent.findResources('AWS::ApiGatewayV2::Api', { Properties: { ProtocolType: 'HTTP' } }));
    expect(httpApi).toHaveLength(1);
    const ofApi = (type: string) => Object.keys(templates.parent.findResources(type, { Properties: { ApiId: { Ref: httpApi[0] } } })).length;
    expect(ofApi('AWS::ApiGatewayV2::Route')).toBe(ROUTES.length);
    expect(ofApi('AWS::ApiGatewayV2::Integration')).toBe(ROUTES.length);
    const routePermissions = Object.values(templates.parent.findResources('AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.SourceArn).includes(httpApi[0]!));
    expect(routePermissions).toHaveLength(ROUTES.length);
  });

  it('passes few parameters into the nested stack, and takes one output (a function’s ARN) per route out of it', () => {
    expect(count(nested!, 'Parameters')).toBeLessThanOrEqual(20);
    expect(count(nested!, 'Outputs')).toBe(ROUTES.length);
    for (const t of [templates.parent, nested!]) {
      expect(count(t, 'Parameters')).toBeLessThanOrEqual(TEMPLATE_LIMITS.parameters);
      expect(count(t, 'Outputs')).toBeLessThanOrEqual(TEMPLATE_LIMITS.outputs);
    }
  });

  it('keeps the stateful resources (table, user pool, secrets, buckets, queues, the access log) in the parent', () => {
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::SecretsManager::Secret',
      'AWS::S3::Bucket',
      'AWS::SQS::Queue',
      'AWS::SNS::Topic',
      'AWS::StepFunctions::StateMachine',
    ]) {
      expect([type, countOf(nested!, type)]).toEqual([type, 0]);
      expect([type, countOf(templates.parent, type)]).not.toEqual([type, 0]);
    }
    const accessLog = Object.keys(templates.parent.findResources('AWS::Logs::LogGroup')).filter((id) => id.startsWith('ApiAccessLogs'));
    expect(accessLog).toHaveLength(1);
  });
});

describe('The prod stack', () => {
  const template = synth('prod', ['https://app.example.com']);

  it('protects the table and the user pool against deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });

  it('keeps the Paystack and Zoom secrets and the email link key when the stack is deleted', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret'));
    expect(secrets).toHaveLength(3);
    for (const secret of secrets) expect(secret).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('allows only the configured origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://app.example.com'] }),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.allowedOrigins]: 'https://app.example.com' }) },
    });
  });
});

describe('The sample events (events/, for npm run invoke)', () => {
  it.each(ROUTES.map((r) => [r.handler, r] as const))('has a payload 2.0 event for %s that matches its route', (handler, route) => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'events', `${handler}.json`), 'utf8'));
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: routeKey(route),
      requestContext: { routeKey: routeKey(route), http: { method: route.method, path: event.rawPath } },
    });
    const pattern = new RegExp(`^${route.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
    expect(pattern.exec(event.rawPath)?.groups ?? undefined).toEqual(event.pathParameters);
    expect(event.requestContext.authorizer?.jwt.claims.sub !== undefined).toBe(route.authBy === 'jwt');
  });

  const wsEvent = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'events', `${name}.json`), 'utf8'));
  const CONNECTION_ID = /^[A-Za-z0-9+/=_-]{1,128}$/;

  it.each([
    ['ws-connect', '$connect', 'CONNECT'],
    ['ws-disconnect', '$disconnect', 'DISCONNECT'],
    ['ws-default-ping', '$default', 'MESSAGE'],
  ])('has a WebSocket %s event for %s, as the route’s integration receives it after the authorizer', (name, key, eventType) => {
    const event = wsEvent(name);
    expect(WS_ROUTES.map((r) => r.routeKey)).toContain(key);
    expect(event.requestContext).toMatchObject({ routeKey: key, eventType, stage: 'live', authorizer: { userId: expect.any(String), principalId: expect.any(String) } });
    expect(event.requestContext.connectionId).toMatch(CONNECTION_ID);
    expect(event.requestContext.domainName).toBe(`${event.requestContext.apiId}.execute-api.eu-west-1.amazonaws.com`);
  });

  it('has a $connect event carrying the token in the query string, and a ping message', () => {
    expect(wsEvent('ws-connect').queryStringParameters[WS_AUTHORIZER.tokenParameter]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.parse(wsEvent('ws-default-ping').body)).toEqual({ type: 'ping' });
  });

  it('has a REQUEST authorizer event for $connect with the token and the method ARN of the connect route', () => {
    const event = wsEvent('ws-authorizer');
    expect(event.type).toBe('REQUEST');
    expect(event.queryStringParameters[WS_AUTHORIZER.tokenParameter]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { apiId, stage, routeKey: key, connectionId } = event.requestContext;
    expect(key).toBe('$connect');
    expect(connectionId).toMatch(CONNECTION_ID);
    expect(event.methodArn).toBe(`arn:aws:execute-api:eu-west-1:123456789012:${apiId}/${stage}/$connect`);
    expect(event.requestContext.authorizer).toBeUndefined();
  });

  it('has a Paystack webhook without a JWT, signed over its exact body (with the local stack’s key, sk_test_local)', () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'events', 'paystackWebhook.json'), 'utf8'));
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.headers.authorization).toBeUndefined();
    expect(event.headers['content-type']).toBe('application/json');
    expect(event.headers['x-paystack-signature']).toMatch(/^[0-9a-f]{128}$/);
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body)));
    expect(verifyWebhookSignature(event.body, event.headers['x-paystack-signature'], 'sk_test_local')).toBe(true);
    expect(JSON.parse(event.body)).toMatchObject({ event: 'charge.success', data: { status: 'success', metadata: { sessionId: expect.any(String) } } });
  });

  it('has a Zoom recording.completed webhook without a JWT, signed over its timestamp and exact body (with the local stack’s token, zoom_webhook_local)', () => {
    const event = JSON.parse(readFileSync(join(__dirname, '..', 'events', 'zoomWebhook.json'), 'utf8'));
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body)));
    const timestamp = event.headers['x-zm-request-timestamp'];
    const check = verifyZoomWebhookSignature({
      rawBody: event.body,
      signature: event.headers['x-zm-signature'],
      timestamp,
      secret: 'zoom_webhook_local',
      nowMs: Number(timestamp) * 1000,
    });
    expect(check).toBe('valid');
    expect(JSON.parse(event.body)).toMatchObject({
      event: 'recording.completed',
      payload: { object: { id: expect.any(Number), uuid: expect.any(String), recording_files: expect.any(Array) } },
    });
  });
});
