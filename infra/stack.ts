/**
 * The whole backend as one stack: the table, the user directory, the HTTP API with a
 * function per route, the booking workflow (a Step Functions state machine with a function
 * per step), the WebSocket API that pushes notifications, the Paystack and Zoom secrets.
 * Environment-agnostic (no account or region lookups), so it synthesizes offline; the region
 * is `AWS::Region` at deploy time.
 */
import { join } from 'node:path';
import { CfnOutput, Lazy, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_PAYSTACK_BASE_URL, DEFAULT_ZOOM_API_BASE_URL, DEFAULT_ZOOM_OAUTH_URL } from '../shared/config';
import { ROUTES } from '../shared/http/routes';
import { STREAM_CONSUMER_DEFS, STREAM_CONSUMERS } from '../shared/streams/consumers';
import { WORKFLOW_STEPS } from '../shared/workflow/definition';
import { BookingApi, type StageThrottle } from './constructs/booking-api';
import { LOG_LEVEL_CONTEXT, logLevelOf } from './constructs/booking-function';
import { BookingTable } from './constructs/booking-table';
import { BookingWebSocket } from './constructs/booking-websocket';
import { BookingWorkflow, WORKFLOW_STEP_DEFS } from './constructs/booking-workflow';
import { Email } from './constructs/email';
import { grantAccess } from './constructs/function-access';
import { Monitoring } from './constructs/monitoring';
import { TimelineSchedules } from './constructs/timeline-schedules';
import { Paystack } from './constructs/paystack';
import { TableStreams } from './constructs/table-streams';
import { UserDirectory } from './constructs/user-directory';
import { WebHosting, PAYSTACK_CHECKOUT_ORIGIN } from './constructs/web-hosting';
import { Zoom } from './constructs/zoom';
import { ApiCorsOrigins } from './constructs/api-cors-origins';
import { PROJECT_ROOT } from './constructs/paths';
import { suppressNagFindings } from './nag';

export const DEFAULT_ALLOWED_ORIGINS = ['http://localhost:5173', 'http://localhost:3000'];
export const DEFAULT_FRONTEND_URL = 'http://localhost:5173';
/** Where managed login sends the browser back with a code, and after signing out: the local web app by default. */
export const DEFAULT_CALLBACK_URLS = ['http://localhost:5173/auth/callback'];
export const DEFAULT_LOGOUT_URLS = ['http://localhost:5173/'];

/**
 * Managed login's domain prefix (`https://<prefix>.auth.<region>.amazoncognito.com`): the
 * stack name in lower case unless given. Prefixes are unique per region across all of AWS, so
 * a taken one fails the deploy: pass another (context `authDomainPrefix`).
 */
export const authDomainPrefixOf = (stackName: string, given?: string): string => {
  const prefix = given ?? stackName.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix) || /aws|amazon|cognito/.test(prefix)) {
    throw new Error(`authDomainPrefix must be 1–63 lower-case letters, digits and hyphens, not containing aws, amazon or cognito; got "${prefix}"`);
  }
  return prefix;
};

export const DEFAULT_ZOOM_USER_ID = 'me';
/** Where the web client's build is (web/'s `npm run build`). */
export const DEFAULT_WEB_APP_DIR = join(PROJECT_ROOT, 'web', 'dist');
/** The WebSocket API's stage: clients connect to `wss://…/live`. */
export const WEBSOCKET_STAGE = 'live';

/**
 * Reserved concurrency of the confirmBooking step (it creates the meeting): at most this many meeting creations at
 * once. Zoom rate-limits meeting creation (a per-second limit per account, and a daily limit
 * of create/update requests per host user), and a burst of paid bookings must not turn into
 * a burst of 429s; an execution that finds the function throttled retries
 * (Lambda.TooManyRequestsException is in the step's retriers) and, as a last resort, falls
 * back to asking the tutor for a link. The reservation is taken from the account's
 * concurrency pool, and Lambda keeps a minimum unreserved (100): an account with a small
 * concurrency quota (new accounts may have 10) refuses the deploy; pass
 * `meetingConcurrency: null` (context `meetingConcurrency=none`) there.
 */
export const DEFAULT_MEETING_CONCURRENCY = 10;

/**
 * API Gateway throttling per stage (requests per second, burst), for the HTTP API's default
 * stage and the WebSocket stage alike: prod sized for real traffic, every other stage small
 * so that a runaway client or script cannot run up the bill. Override with `throttle`
 * (context `throttleRate`, `throttleBurst`).
 */
export const STAGE_THROTTLE: Readonly<Record<'prod' | 'default', StageThrottle>> = {
  prod: { rateLimit: 500, burstLimit: 1000 },
  default: { rateLimit: 50, burstLimit: 100 },
};

export interface MentorshipStackProps extends StackProps {
  /** `dev`, `staging`, `prod`…; `prod` turns on deletion protection. */
  stage: string;
  /** Browser origins for CORS. Default: the local front-end dev servers. */
  allowedOrigins?: string[];
  /** Paystack's API. Default: the live API, https://api.paystack.co. */
  paystackBaseUrl?: string;
  /** The front end Paystack sends students back to after checkout. Default: http://localhost:5173. */
  frontendUrl?: string;
  /** Zoom's API and OAuth token endpoint. Default: the live ones (https://api.zoom.us/v2, https://zoom.us/oauth/token). */
  zoomApiBaseUrl?: string;
  zoomOauthUrl?: string;
  /** The Zoom user who hosts the meetings. Default: `me`, the Server-to-Server OAuth app's own user. */
  zoomUserId?: string;
  /** The pool of Zoom host users (ZOOM_HOST_USERS): ids or emails, tried in this order. */
  zoomHostUsers?: readonly string[];
  /** Reserved concurrency of the confirmBooking step; `null`: none. Default: DEFAULT_MEETING_CONCURRENCY. */
  meetingConcurrency?: number | null;
  /** API Gateway throttling of both APIs. Default: STAGE_THROTTLE by stage. */
  throttle?: StageThrottle;
  /** The sender address of every email. Default: DEFAULT_EMAIL_FROM (set it for a real deployment). */
  emailFrom?: string;
  /** The SES identity to verify: a domain (DKIM) or the sender address. Default: the sender's domain. */
  emailIdentity?: string;
  /** While the SES account is in the sandbox: the verified recipient addresses the email consumer may send to. */
  emailSandboxRecipients?: string[];
  /** Managed login's domain prefix. Default: the stack name in lower case (authDomainPrefixOf). */
  authDomainPrefix?: string;
  /** The web app's sign-in callback URLs (…/auth/callback). Default: DEFAULT_CALLBACK_URLS. */
  callbackUrls?: string[];
  /** Where managed login may return after signing out. Default: DEFAULT_LOGOUT_URLS. */
  logoutUrls?: string[];
  /**
   * Host the web client (WebHosting): CloudFront before a private bucket with the build in
   * `appDir` (default DEFAULT_WEB_APP_DIR) and a /config.json of this stack's URLs and ids. Its
   * origin is added to the API's CORS origins, and is the front end (FRONTEND_URL) unless
   * `frontendUrl` is given. Default: not hosted (the CDK app hosts it unless context web=false).
   */
  web?: { appDir?: string };
}

/** The sender when no context names one: synthesizes, but SES cannot verify it. */
export const DEFAULT_EMAIL_FROM = 'no-reply@example.com';

const httpUrl = (name: string, value: string): string => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`${name} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
};

/** Cognito takes https redirect URLs, and http only for localhost. */
const redirectUrl = (name: string, value: string): string => {
  if (!URL.canParse(value)) throw new Error(`${name}: "${value}" is not a URL`);
  const u = new URL(value);
  if (!(u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === 'localhost'))) throw new Error(`${name}: "${value}" must be https (or http on localhost)`);
  return value;
};

/** The webhook Paystack signs (the route whose signature is checked with the Paystack secret). */
const paystackWebhookRoute = () => ROUTES.find((r) => r.authBy === 'signature' && r.access.paystack === 'api');

const fail = (message: string): never => {
  throw new Error(message);
};

export class MentorshipStack extends Stack {
  readonly table: BookingTable;
  readonly users: UserDirectory;
  readonly api: BookingApi;
  readonly workflow: BookingWorkflow;
  readonly paystack: Paystack;
  readonly zoom: Zoom;
  readonly webSocket: BookingWebSocket;
  /** The hosted web client, when `web` was given. */
  readonly web?: WebHosting;
  readonly monitoring: Monitoring;
  readonly timeline: TimelineSchedules;
  /** The table stream's consumers: workflow starts, notification pushes, refund requests, emails. */
  readonly streams: TableStreams;
  readonly email: Email;

  constructor(scope: Construct, id: string, props: MentorshipStackProps) {
    super(scope, id, props);
    const production = props.stage === 'prod';
    const throttle = props.throttle ?? STAGE_THROTTLE[production ? 'prod' : 'default'];
    if (!(Number.isInteger(throttle.rateLimit) && throttle.rateLimit > 0 && Number.isInteger(throttle.burstLimit) && throttle.burstLimit >= throttle.rateLimit)) {
      throw new Error(`throttle must be positive integers with burstLimit ≥ rateLimit, got ${JSON.stringify(throttle)}`);
    }
    // DEBUG logs every (redacted) event: a dev stage may (context logLevel=DEBUG), prod logs at INFO.
    if (production && logLevelOf(this) !== 'INFO') throw new Error(`Context "${LOG_LEVEL_CONTEXT}" must be INFO in prod, got ${logLevelOf(this)}`);

    const withHostedWeb = (urls: string[], path: string): string[] => Lazy.list({ produce: () => [...urls, ...(this.web ? [`${this.web.url}${path}`] : [])] });
    this.table = new BookingTable(this, 'Data', { deletionProtection: production });
    this.users = new UserDirectory(this, 'Users', {
      production,
      table: this.table.table,
      domainPrefix: authDomainPrefixOf(this.stackName, props.authDomainPrefix),
      // The hosted web client's URLs join at synth time: the hosting is built later and needs the client's id.
      callbackUrls: withHostedWeb(
        (props.callbackUrls ?? DEFAULT_CALLBACK_URLS).map((u) => redirectUrl('callbackUrls', u)),
        '/auth/callback',
      ),
      logoutUrls: withHostedWeb(
        (props.logoutUrls ?? DEFAULT_LOGOUT_URLS).map((u) => redirectUrl('logoutUrls', u)),
        '/',
      ),
    });
    this.api = new BookingApi(this, 'Api', {
      table: this.table.table,
      allowedOrigins: props.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS,
      jwtIssuer: this.users.issuerUrl,
      jwtAudience: this.users.client.userPoolClientId,
      throttle,
    });
    const meetingConcurrency = props.meetingConcurrency === undefined ? DEFAULT_MEETING_CONCURRENCY : props.meetingConcurrency;
    if (meetingConcurrency !== null && (!Number.isInteger(meetingConcurrency) || meetingConcurrency < 1)) {
      throw new Error(`meetingConcurrency must be a positive integer or null, got ${meetingConcurrency}`);
    }
    this.workflow = new BookingWorkflow(this, 'Workflow', {
      table: this.table.table,
      ...(meetingConcurrency !== null ? { reservedConcurrency: { confirmBooking: meetingConcurrency } } : {}),
    });
    this.webSocket = new BookingWebSocket(this, 'WebSocket', {
      table: this.table.table,
      jwtIssuer: this.users.issuerUrl,
      jwtAudience: this.users.client.userPoolClientId,
      stageName: WEBSOCKET_STAGE,
      throttle,
    });

    if (props.web) {
      this.web = new WebHosting(this, 'Web', {
        appDir: props.web.appDir ?? DEFAULT_WEB_APP_DIR,
        production,
        config: {
          apiUrl: this.api.httpApi.apiEndpoint,
          wsUrl: this.webSocket.url,
          authority: this.users.issuerUrl,
          clientId: this.users.client.userPoolClientId,
          region: this.region,
        },
        // The app's fetches and socket: the two APIs, and Cognito (discovery and keys at the issuer).
        connectOrigins: [this.api.httpApi.apiEndpoint, this.webSocket.api.apiEndpoint, `https://cognito-idp.${this.region}.amazonaws.com`],
        formOrigins: [PAYSTACK_CHECKOUT_ORIGIN],
      });
      new ApiCorsOrigins(this, 'WebCors', { httpApi: this.api.httpApi, origins: [this.web.url] });
    }

    // Where Paystack returns students and emails link to: the hosted web client unless a front end is named.
    const frontendUrl = props.frontendUrl || !this.web ? httpUrl('frontendUrl', props.frontendUrl ?? DEFAULT_FRONTEND_URL) : this.web.url;
    this.paystack = new Paystack(this, 'Paystack', {
      baseUrl: httpUrl('paystackBaseUrl', props.paystackBaseUrl ?? DEFAULT_PAYSTACK_BASE_URL),
      frontendUrl,
      production,
    });

    this.zoom = new Zoom(this, 'Zoom', {
      apiBaseUrl: httpUrl('zoomApiBaseUrl', props.zoomApiBaseUrl ?? DEFAULT_ZOOM_API_BASE_URL),
      oauthUrl: httpUrl('zoomOauthUrl', props.zoomOauthUrl ?? DEFAULT_ZOOM_OAUTH_URL),
      userId: props.zoomUserId ?? DEFAULT_ZOOM_USER_ID,
      hostUsers: props.zoomHostUsers ?? [],
      production,
    });
    // What follows a write: the workflow's start and callbacks, pushes, Paystack's refunds and transfers, Zoom's moves, emails.
    this.streams = new TableStreams(this, 'Streams', { table: this.table.table });

    // The session timeline's schedules: kept by the confirmation steps and by the stream's workflow driver (their declarations).
    this.timeline = new TimelineSchedules(this, 'Timeline', { table: this.table.table });

    const emailFrom = props.emailFrom ?? DEFAULT_EMAIL_FROM;
    if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(emailFrom)) throw new Error(`emailFrom must be an email address, got "${emailFrom}"`);
    const emailIdentity = props.emailIdentity ?? emailFrom.split('@')[1]!;
    this.email = new Email(this, 'Email', {
      from: emailFrom,
      identity: emailIdentity,
      sandboxRecipients: props.emailSandboxRecipients ?? [],
      table: this.table.table,
      frontendUrl,
      apiUrl: this.api.httpApi.apiEndpoint,
      production,
    });

    // Each function gets what its declaration says it may touch, and nothing else: a route's entry in
    // ROUTES (shared/http/routes.ts), a step's in WORKFLOW_STEP_DEFS (the step's own `callback` is
    // the workflow's to grant: a default-policy statement naming the state machine would be a cycle),
    // a stream consumer's in STREAM_CONSUMER_DEFS (shared/streams/consumers.ts).
    const targets = { workflow: this.workflow, paystack: this.paystack, zoom: this.zoom, email: this.email, users: this.users, timeline: this.timeline, webSocket: this.webSocket };
    for (const route of ROUTES) grantAccess(this.api.functions[route.handler]!, route.access, targets);
    for (const step of WORKFLOW_STEPS) {
      const { workflow: _own, ...access } = WORKFLOW_STEP_DEFS[step].access;
      grantAccess(this.workflow.functions[step], access, targets);
    }
    for (const consumer of STREAM_CONSUMERS) grantAccess(this.streams.functions[consumer], STREAM_CONSUMER_DEFS[consumer].access, targets);

    const webhookRoute = paystackWebhookRoute() ?? fail('ROUTES has no route signed by Paystack');
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: this.allFunctions(),
      stateMachine: this.workflow.stateMachine,
      httpApi: this.api.httpApi,
      httpAccessLogs: this.api.accessLogs,
      workflowLogs: this.workflow.logGroup,
      webhookRouteKey: `${webhookRoute.method} ${webhookRoute.path}`,
    });
    this.streams.alarmOnDeadLetters(this.monitoring.topic);
    this.email.alarmOnDeadLetters(this.monitoring.topic);
    this.timeline.alarmOnDeadLetters(this.monitoring.topic);
    new CfnOutput(this, 'TimelineScheduleGroup', {
      value: this.timeline.group.scheduleGroupName,
      description: "The schedule group of the sessions' timelines: aws scheduler list-schedules --group-name <this> --name-prefix <sessionId>",
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm notifies this SNS topic: subscribe the on-call email or chat integration to it',
    });

    // Logs are evidence: prod keeps every log group when the stack is deleted; other stages clean up.
    const logRemoval = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    for (const c of this.node.findAll()) if (c instanceof LogGroup) c.applyRemovalPolicy(logRemoval);

    suppressNagFindings(this, {
      api: this.api,
      webSocket: this.webSocket,
      users: this.users,
      paystack: this.paystack,
      zoom: this.zoom,
      monitoring: this.monitoring,
      ...(this.web ? { web: this.web } : {}),
    });

    if (this.web) {
      new CfnOutput(this, 'WebUrl', {
        value: this.web.url,
        description: this.web.built ? 'The web client' : 'The web client: a placeholder page, as web/dist had no build at synth time (npm run web:build, then deploy again)',
      });
    }
    new CfnOutput(this, 'HttpApiUrl', { value: this.api.httpApi.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.client.userPoolClientId, description: 'The web app’s OpenID Connect client id (public: no secret; code + PKCE)' });
    new CfnOutput(this, 'Authority', {
      value: this.users.issuerUrl,
      description: 'The OpenID Connect authority (issuer) the web app signs in with: its discovery document is <this>/.well-known/openid-configuration',
    });
    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'UserPoolDomainUrl', {
      value: this.users.domain.baseUrl(),
      description: 'Managed login (sign-in and sign-up pages, /oauth2/authorize, /oauth2/token, /logout)',
    });
    new CfnOutput(this, 'WebConfig', {
      value: this.toJsonString({
        apiUrl: this.api.httpApi.apiEndpoint,
        wsUrl: this.webSocket.url,
        authority: this.users.issuerUrl,
        clientId: this.users.client.userPoolClientId,
        region: this.region,
      }),
      description: 'The web app’s /config.json',
    });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'StateMachineArn', {
      value: this.workflow.stateMachine.stateMachineArn,
      description: 'The booking workflow (one execution per session, named after the session id)',
    });
    new CfnOutput(this, 'PaystackSecretArn', {
      value: this.paystack.secret.secretArn,
      description:
        'The secret holding the Paystack secret key (created with an empty placeholder). Before taking payments, set it to ' +
        `{"secretKey":"sk_live_…"} or to the plain key: aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string '…'`,
    });
    new CfnOutput(this, 'ZoomSecretArn', {
      value: this.zoom.secret.secretArn,
      description:
        'The secret holding the Zoom Server-to-Server OAuth credentials (created with an empty placeholder). Before meetings can be created, set it to ' +
        `{"accountId":"…","clientId":"…","clientSecret":"…","webhookSecretToken":"…"} (the last is the Secret Token of the app's event subscription): ` +
        `aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string '…'`,
    });
    new CfnOutput(this, 'WebSocketUrl', {
      value: this.webSocket.url,
      description: 'Where signed-in clients receive notifications: connect with ?token=<Cognito ID token>; send {"type":"ping"} to keep the connection open',
    });
    const webhook = paystackWebhookRoute();
    if (webhook) {
      new CfnOutput(this, 'PaystackWebhookUrl', {
        value: `${this.api.httpApi.apiEndpoint}${webhook.path}`,
        description: 'Set as the Webhook URL in the Paystack dashboard (Settings, API Keys & Webhooks)',
      });
    }
    new CfnOutput(this, 'EmailIdentity', {
      value: this.email.identity.emailIdentityName,
      description:
        'The SES identity emails are sent from. A domain is verified by publishing the three DKIM CNAME records (EmailDkimRecords); an address by the link SES mails to it. ' +
        'New SES accounts are in the sandbox (verified recipients only, 200 a day): request production access before launch (README, Email).',
    });
    if (!emailIdentity.includes('@')) {
      const id = this.email.identity;
      new CfnOutput(this, 'EmailDkimRecords', {
        value: [
          `${id.dkimDnsTokenName1} CNAME ${id.dkimDnsTokenValue1}`,
          `${id.dkimDnsTokenName2} CNAME ${id.dkimDnsTokenValue2}`,
          `${id.dkimDnsTokenName3} CNAME ${id.dkimDnsTokenValue3}`,
        ].join(' ; '),
        description: 'Publish these CNAME records in the domain’s DNS zone: SES verifies the domain and signs with DKIM once they resolve',
      });
    }
    const zoomWebhook = ROUTES.find((r) => r.authBy === 'signature' && r.access.zoom === 'webhook');
    if (zoomWebhook) {
      new CfnOutput(this, 'ZoomWebhookUrl', {
        value: `${this.api.httpApi.apiEndpoint}${zoomWebhook.path}`,
        description: "Set as the Event notification endpoint URL of the Zoom app's event subscription (Recording: All Recordings have completed)",
      });
    }
  }

  /** Every function of the stack by a stable name: `api-<handler>`, `step-<step>`, `ws-<handler>`, `ws-authorizer`, `stream-<consumer>`, `timeline-runTimelineStep`, `cognito-postConfirmation`. */
  allFunctions(): Record<string, LambdaFunction> {
    return {
      ...Object.fromEntries(Object.entries(this.api.functions).map(([h, fn]) => [`api-${h}`, fn])),
      ...Object.fromEntries(Object.entries(this.workflow.functions).map(([step, fn]) => [`step-${step}`, fn])),
      ...Object.fromEntries(Object.entries(this.webSocket.functions).map(([h, fn]) => [`ws-${h}`, fn])),
      'ws-authorizer': this.webSocket.authorizerFunction,
      ...Object.fromEntries(Object.entries(this.streams.functions).map(([c, fn]) => [`stream-${c}`, fn])),
      'email-sesEvents': this.email.eventsFunction,
      'timeline-runTimelineStep': this.timeline.target,
      'cognito-postConfirmation': this.users.postConfirmation,
    };
  }
}
