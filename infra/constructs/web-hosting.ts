import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Where Paystack's hosted checkout lives: the app sends the browser there to pay. */
export const PAYSTACK_CHECKOUT_ORIGIN = 'https://checkout.paystack.com';

/** What the web client reads at start (`/config.json`): one build serves every stage. */
export interface WebConfig {
  apiUrl: string;
  wsUrl: string;
  /** The OpenID Connect issuer (Cognito's user pool URL). */
  authority: string;
  clientId: string;
  region?: string;
}

export interface WebHostingProps {
  /** The built app (`npm run build` in web/ writes web/dist). Without an index.html there, a placeholder page is deployed (see PLACEHOLDER_PAGE). */
  appDir: string;
  /** Written to `/config.json` at deploy time (tokens resolved by the deployment). */
  config: WebConfig;
  /** Origins the app may fetch from or open a WebSocket to: the HTTP API, the WebSocket API, Cognito's issuer and its managed-login domain. */
  connectOrigins: string[];
  /** Origins the app may send a form to besides itself (Cognito's managed login, Paystack's checkout). */
  formOrigins: string[];
  /** Production: keep the buckets when the stack is deleted. */
  production: boolean;
}

/** Deployed as index.html when the app was not built before the synth (CDK assertion tests, an API-only deploy). */
export const PLACEHOLDER_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mentorship</title></head>' +
  '<body><main><h1>Mentorship</h1><p>The web client was not built before this deploy: run <code>npm run web:build</code>, then deploy again.</p></main></body></html>';

/**
 * The content security policy: everything from this origin only, but the connections the app
 * makes (the API, the WebSocket, Cognito's token and key endpoints) and the forms it may post
 * (sign-in, checkout). Navigations to Cognito's managed login and Paystack's checkout are
 * plain redirects, which CSP does not restrict. No inline script or style: Vite emits files.
 */
export const contentSecurityPolicy = (p: Pick<WebHostingProps, 'connectOrigins' | 'formOrigins'>): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${p.connectOrigins.join(' ')}`,
    `form-action 'self' ${p.formOrigins.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');

/**
 * Client-side routes (`/mentorship/session/01J…`, `/auth/callback`) are the app's, not files:
 * a path whose last segment has no dot is served index.html. Files (assets, config.json) are
 * served as they are, and a missing one is a real 403/404, not a page of HTML.
 */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

/**
 * The web client on AWS: a private, encrypted S3 bucket read only by CloudFront (origin access
 * control), HTTPS only, client-side routes served index.html, security headers with a content
 * security policy on every response; the built app from `appDir` (hashed assets cached for a
 * year and kept across deploys, index.html and config.json revalidated on every load) and `/config.json` written from
 * the stack's own values. Both access logs go to a log bucket kept for 90 days.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeaders: ResponseHeadersPolicy;
  /** `https://<id>.cloudfront.net`: the app's origin (CORS, Cognito's callback URLs, Paystack's return). */
  readonly url: string;
  /** Whether appDir held a built app at synth time (otherwise PLACEHOLDER_PAGE was deployed). */
  readonly built: boolean;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL grant to the bucket owner.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy,
    });
    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
      removalPolicy,
    });

    this.responseHeaders = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'Security headers of the web client',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: contentSecurityPolicy(props), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
    });
    const rewrite = new CloudFrontFunction(this, 'SpaRewrite', {
      comment: 'Client-side routes are served index.html',
      code: FunctionCode.fromInline(SPA_REWRITE),
      runtime: FunctionRuntime.JS_2_0,
    });
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Mentorship web client',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        functionAssociations: [{ function: rewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    this.built = existsSync(join(props.appDir, 'index.html'));
    // Hashed assets never change under their name. The previous build's stay (no prune): a tab
    // opened before the deploy still loads its lazy chunks. The entry files are the second
    // deployment's, never cached for long.
    if (this.built) {
      new BucketDeployment(this, 'Assets', {
        destinationBucket: this.bucket,
        sources: [Source.asset(props.appDir)],
        exclude: ['index.html', 'config.json'],
        prune: false,
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
      });
    }
    new BucketDeployment(this, 'Entry', {
      destinationBucket: this.bucket,
      sources: [
        this.built ? Source.asset(props.appDir, { exclude: ['*', '!index.html'] }) : Source.data('index.html', PLACEHOLDER_PAGE),
        Source.jsonData('config.json', props.config),
      ],
      prune: false,
      cacheControl: [CacheControl.noCache()],
      // A new build or config is live at once, not after the edge caches expire.
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
    });
  }
}
