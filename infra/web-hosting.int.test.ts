/**
 * The hosted web client (constructs/web-hosting.ts, wired in stack.ts with `web`): a private
 * bucket behind CloudFront, client-side routes served index.html, the security headers and
 * their content security policy, the build and /config.json deployed from the stack's own
 * values, and the CloudFront origin where the backend needs it (CORS, FRONTEND_URL).
 * Bundling is skipped; the app is a small build of this file's own, or none at all.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { cdkApp } from '../test/support/cdk';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV } from '../shared/config';
import { MentorshipStack, type MentorshipStackProps } from './stack';
import { templatesOf } from '../test/support/templates';

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** A built app as Vite writes it: index.html, hashed assets, and a config.json for local development. */
const builtApp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Mentorship</title><script type="module" src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dir, 'config.json'), '{"apiUrl":"http://localhost:3000"}');
  return dir;
};

const synth = (more: Partial<MentorshipStackProps> = {}) => {
  const app = cdkApp();
  const stack = new MentorshipStack(app, 'Mentorship-dev', { stage: 'dev', ...more });
  const template = templatesOf(stack).all;
  return { stack, template, resources: template.toJSON().Resources as Resources, outdir: app.outdir };
};

const idOf = (resources: Resources, type: string): string => {
  const ids = Object.keys(resources).filter((id) => resources[id]!.Type === type);
  expect([type, ids.length]).toEqual([type, 1]);
  return ids[0]!;
};

/** An Fn::Join's parts as one string, each token written as `{Ref}` or `{Logical.Attr}`. */
const flat = (value: any): string => {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `{${value.Ref}}`;
  if (value?.['Fn::GetAtt']) return `{${value['Fn::GetAtt'].join('.')}}`;
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as any[]).map(flat).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
};

describe('the hosted web client, built', () => {
  const { template, resources, outdir } = synth({ web: { appDir: builtApp() } });
  const distributionId = idOf(resources, 'AWS::CloudFront::Distribution');
  const apiId = Object.keys(resources).find((id) => resources[id]!.Type === 'AWS::ApiGatewayV2::Api' && resources[id]!.Properties.ProtocolType === 'HTTP')!;
  const deployments = Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
  const entry = deployments.find((d) => d.Properties.SystemMetadata?.['cache-control'] === 'no-cache')!;
  const assets = deployments.find((d) => d !== entry)!;

  it('keeps the files in an encrypted bucket that blocks public access and refuses requests without TLS', () => {
    const siteId = resources[distributionId]!.Properties.DistributionConfig.Origins[0].DomainName['Fn::GetAtt'][0];
    expect(resources[siteId]!.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          // Only this distribution reads it, signed by its origin access control.
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, redirecting HTTP to HTTPS and logging to a log bucket', () => {
    const config = resources[distributionId]!.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'], Compress: true });
    expect(config.Origins[0].OriginAccessControlId).toEqual({ 'Fn::GetAtt': [idOf(resources, 'AWS::CloudFront::OriginAccessControl'), 'Id'] });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });

  it('serves index.html for client-side routes and files as they are (the viewer-request function)', () => {
    const fnId = idOf(resources, 'AWS::CloudFront::Function');
    expect(resources[distributionId]!.Properties.DistributionConfig.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fnId, 'FunctionARN'] } },
    ]);
    const code = resources[fnId]!.Properties.FunctionCode as string;
    const handler = runInNewContext(`${code}; handler`) as (e: { request: { uri: string } }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    expect(served('/')).toBe('/index.html');
    expect(served('/mentorship/session/01JABCDEF')).toBe('/index.html');
    expect(served('/auth/callback')).toBe('/index.html');
    expect(served('/tutors/')).toBe('/index.html');
    expect(served('/assets/index-abc123.js')).toBe('/assets/index-abc123.js');
    expect(served('/config.json')).toBe('/config.json');
  });

  it('sends security headers, and a content security policy allowing exactly the APIs, Cognito and Paystack’s checkout', () => {
    const headers = Object.values(resources).find((r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy')!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
    });
    const csp = Object.fromEntries(
      flat(headers.ContentSecurityPolicy.ContentSecurityPolicy)
        .split('; ')
        .map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]),
    );
    const webSocketApiId = Object.keys(resources).find((id) => resources[id]!.Type === 'AWS::ApiGatewayV2::Api' && resources[id]!.Properties.ProtocolType === 'WEBSOCKET');
    expect(csp).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'", `{${apiId}.ApiEndpoint}`, `{${webSocketApiId}.ApiEndpoint}`, 'https://cognito-idp.{AWS::Region}.amazonaws.com'],
      'form-action': ["'self'", 'https://checkout.paystack.com'],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'self'"],
      'object-src': ["'none'"],
    });
    expect(resources[distributionId]!.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: Object.keys(resources).find((id) => resources[id]!.Type === 'AWS::CloudFront::ResponseHeadersPolicy'),
    });
  });

  it('deploys the hashed assets cached for a year, keeping the previous build’s (open tabs load their chunks), without the entry files', () => {
    expect(assets.Properties).toMatchObject({ SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' }, Exclude: ['index.html', 'config.json'], Prune: false });
  });

  it('deploys index.html and a config.json of the stack’s own values, revalidated on every load and invalidated at the edge', () => {
    expect(entry.Properties).toMatchObject({
      Prune: false,
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionId: { Ref: distributionId },
      DistributionPaths: ['/index.html', '/config.json'],
    });
    // The first source is index.html alone from the build (its own config.json is for local development).
    const staged = join(outdir, `asset.${String(entry.Properties.SourceObjectKeys[0]).replace(/\.zip$/, '')}`);
    expect(existsSync(staged) ? readdirSync(staged) : 'not staged').toEqual(['index.html']);
    // The second: config.json, its values markers the deployment replaces with the stack's.
    const markers = Object.values(entry.Properties.SourceMarkers[1] as Record<string, unknown>).map(flat);
    expect(markers).toEqual(
      expect.arrayContaining([`{${apiId}.ApiEndpoint}`, `{${idOf(resources, 'AWS::Cognito::UserPool')}}`, `{${idOf(resources, 'AWS::Cognito::UserPoolClient')}}`]),
    );
    expect(entry.Properties.SourceMarkersConfig[1]).toEqual({ jsonEscape: true });
  });

  it('adds the CloudFront origin to the HTTP API’s CORS origins after the API exists (the API’s template cannot name it: a cycle)', () => {
    const cors = Object.values(resources).find((r) => r.Type === 'Custom::AWS')!.Properties;
    const call = (phase: string) =>
      JSON.parse(
        flat(cors[phase])
          .replace(/\{[A-Za-z0-9]+\.DomainName\}/, 'DISTRIBUTION')
          .replace(/\{[A-Za-z0-9]+\}/, 'API'),
      );
    expect(call('Create')).toMatchObject({
      service: 'ApiGatewayV2',
      action: 'UpdateApi',
      parameters: {
        ApiId: 'API',
        CorsConfiguration: {
          AllowOrigins: ['http://localhost:5173', 'http://localhost:3000', 'https://DISTRIBUTION'],
          AllowHeaders: ['Authorization', 'Content-Type'],
          AllowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
          MaxAge: 3600,
        },
      },
    });
    expect(call('Update')).toEqual(call('Create'));
    expect(call('Delete').parameters.CorsConfiguration.AllowOrigins).toEqual(['http://localhost:5173', 'http://localhost:3000']);
    expect(resources[apiId]!.Properties.CorsConfiguration.AllowOrigins).toEqual(['http://localhost:5173', 'http://localhost:3000']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'apigateway:PATCH',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:', { Ref: 'AWS::Region' }, '::/apis/', { Ref: apiId }]] },
          },
        ],
      },
    });
  });

  it('makes the CloudFront URL the front end Paystack returns students to, and outputs it', () => {
    const paystackHandlers = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[ENV.frontendUrl] !== undefined);
    expect(paystackHandlers.length).toBeGreaterThan(0);
    for (const fn of paystackHandlers) expect(flat(fn.Properties.Environment.Variables[ENV.frontendUrl])).toBe(`https://{${distributionId}.DomainName}`);
    template.hasOutput('WebUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] } });
  });
});

describe('the hosted web client, not built', () => {
  const { resources, template } = synth({ web: { appDir: join(tmpdir(), 'no-such-web-dist') }, frontendUrl: 'https://app.example.com' });

  it('deploys a placeholder index.html and the config.json, so a synth needs no build', () => {
    const deployments = Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(1);
    expect(deployments[0]!.Properties.SourceObjectKeys).toHaveLength(2);
    template.hasOutput('WebUrl', { Description: Match.stringLikeRegexp('placeholder') });
  });

  it('keeps a frontendUrl that was given (a custom domain) as the front end', () => {
    for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.[ENV.frontendUrl] !== undefined)) {
      expect(fn.Properties.Environment.Variables[ENV.frontendUrl]).toBe('https://app.example.com');
    }
  });
});
