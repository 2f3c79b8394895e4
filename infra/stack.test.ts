/**
 * Targeted facts about the synthesized template (no snapshot): the table matches TABLE,
 * every ROUTES entry has its function and route, auth is on exactly where the route table
 * says, Cognito and CORS are as the front end expects, the Paystack secret is readable by the
 * functions that call Paystack and by no other. Bundling is skipped, so this is fast.
 * The booking workflow (state machine, step functions, Step Functions permissions) is
 * covered by workflow.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TABLE } from '../shared/data/table';
import { ENV } from '../shared/config';
import { ROUTES, routeKey } from '../shared/http/routes';
import { verifyWebhookSignature } from '../shared/integrations/paystack';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
import { MentorshipStack, type MentorshipStackProps } from './stack';

const synth = (stage: string, allowedOrigins?: string[], more: Partial<MentorshipStackProps> = {}): Template => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new MentorshipStack(app, `Mentorship-${stage}`, { stage, ...(allowedOrigins ? { allowedOrigins } : {}), ...more });
  return Template.fromStack(stack);
};

/** The handlers that call Paystack, spelled out here (not imported) so the test is a second opinion. */
const PAYSTACK_CALLERS = ['createSession', 'startPayment', 'paystackWebhook'];

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

    it('creates every index of TABLE with string keys, projecting all attributes', () => {
      const keys = [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        AttributeDefinitions: Match.arrayWith(keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
        GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
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
    it('creates one function per route and one per workflow step, and no other', () => {
      template.resourceCountIs('AWS::Lambda::Function', ROUTES.length + WORKFLOW_STEPS.length);
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

    it('gives the webhook 30 s (API Gateway’s limit), createSession and startPayment 15 s, every other route 10 s', () => {
      const ids = routeFunctionIds(template);
      const resources = template.toJSON().Resources as Resources;
      const timeouts = Object.fromEntries(ROUTES.map((r) => [r.handler, resources[ids[r.handler]!]!.Properties.Timeout]));
      expect(timeouts).toEqual(
        Object.fromEntries(ROUTES.map((r) => [r.handler, ({ paystackWebhook: 30, createSession: 15, startPayment: 15 } as Record<string, number>)[r.handler] ?? 10])),
      );
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

    it('lets every function (routes and workflow steps) read and write the table and its indexes', () => {
      const tableId = logicalIdOf(template, 'AWS::DynamoDB::Table');
      const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
      const indexArns = { 'Fn::Join': ['', [tableArn, '/index/*']] };
      const policies = Object.values(template.findResources('AWS::IAM::Policy'));
      const readWrite = policies.filter((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string[]; Resource: unknown }[]).some(
          (s) =>
            // Transactions are authorized per item by these actions; there is no TransactWriteItems action.
            ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'].every(
              (a) => s.Action.includes(a),
            ) && JSON.stringify(s.Resource) === JSON.stringify([tableArn, indexArns]),
        ),
      );
      expect(readWrite).toHaveLength(ROUTES.length + WORKFLOW_STEPS.length);
    });

    it('keeps each function’s logs, and the workflow’s, for a month in a log group of their own', () => {
      template.resourceCountIs('AWS::Logs::LogGroup', ROUTES.length + WORKFLOW_STEPS.length + 1);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });
  });

  describe('HTTP API', () => {
    it('creates one route per entry of ROUTES', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length);
    });

    it.each(ROUTES.filter((r) => r.auth).map(routeKey))('puts %s behind the JWT authorizer', (key) => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: key,
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer') },
      });
    });

    it.each(ROUTES.filter((r) => !r.auth).map(routeKey))('leaves %s open, without an authorizer', (key) => {
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
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
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
      template.resourceCountIs('AWS::ApiGatewayV2::Integration', ROUTES.length);
      template.allResourcesProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
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
    const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret');
    const ids = routeFunctionIds(template);
    const byHandler = (fnIds: string[]) => Object.entries(ids).filter(([, id]) => fnIds.includes(id)).map(([h]) => h).sort();

    it('creates one secret for the key, with a generated placeholder and no value in the template', () => {
      const secret = resources[secretId]!.Properties;
      expect(secret.SecretString).toBeUndefined();
      expect(secret.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{"secretKey":""}', GenerateStringKey: 'placeholder' });
      expect(secret.Description).toMatch(/secretKey/);
    });

    it('outputs the secret’s ARN, telling the operator what to put in it, and the webhook URL', () => {
      template.hasOutput('PaystackSecretArn', { Value: { Ref: secretId }, Description: Match.stringLikeRegexp('"secretKey"') });
      template.hasOutput('PaystackWebhookUrl', {
        Value: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGatewayV2::Api'), 'ApiEndpoint'] }, '/webhooks/paystack']] },
      });
    });

    it('gives exactly the Paystack callers the secret’s ARN, the API and the front-end URL', () => {
      const withArn = Object.keys(template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: Match.objectLike({ [ENV.paystackSecretArn]: Match.anyValue() }) } },
      }));
      expect(byHandler(withArn)).toEqual([...PAYSTACK_CALLERS].sort());
      expect(withArn).toHaveLength(PAYSTACK_CALLERS.length);
      for (const handler of PAYSTACK_CALLERS) {
        expect(resources[ids[handler]!]!.Properties.Environment.Variables).toMatchObject({
          [ENV.paystackSecretArn]: { Ref: secretId },
          [ENV.paystackBaseUrl]: 'https://api.paystack.co',
          [ENV.frontendUrl]: 'http://localhost:5173',
        });
      }
    });

    it('lets exactly the Paystack callers read the secret, and only that secret', () => {
      const readers = functionsWhoseRole(template, (s) => [s.Action].flat().some((a) => a.startsWith('secretsmanager:')));
      expect(byHandler(readers)).toEqual([...PAYSTACK_CALLERS].sort());
      expect(readers).toHaveLength(PAYSTACK_CALLERS.length);
      const getters = functionsWhoseRole(
        template,
        (s) => [s.Action].flat().includes('secretsmanager:GetSecretValue') && JSON.stringify(s.Resource) === JSON.stringify({ Ref: secretId }),
      );
      expect(getters.sort()).toEqual([...readers].sort());
    });

    it('puts no key in any function’s environment', () => {
      const fns = template.findResources('AWS::Lambda::Function') as Resources;
      for (const fn of Object.values(fns)) {
        const vars = (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
        expect(vars[ENV.paystackSecretKey]).toBeUndefined();
        expect(JSON.stringify(vars)).not.toMatch(/sk_/);
      }
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

  it('outputs the API URL, the user pool and client ids, the table name and the state machine ARN', () => {
    template.hasOutput('HttpApiUrl', { Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::ApiGatewayV2::Api'), 'ApiEndpoint'] } });
    template.hasOutput('UserPoolId', { Value: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPool') } });
    template.hasOutput('UserPoolClientId', { Value: { Ref: logicalIdOf(template, 'AWS::Cognito::UserPoolClient') } });
    template.hasOutput('TableName', { Value: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table') } });
    template.hasOutput('StateMachineArn', { Value: { Ref: logicalIdOf(template, 'AWS::StepFunctions::StateMachine') } });
  });
});

describe('The prod stack', () => {
  const template = synth('prod', ['https://app.example.com']);

  it('protects the table and the user pool against deletion', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
  });

  it('keeps the Paystack secret when the stack is deleted', () => {
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
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
    expect(event.requestContext.authorizer?.jwt.claims.sub !== undefined).toBe(route.auth);
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
});
