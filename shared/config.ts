/**
 * The environment, parsed once with zod when a module first asks for it. A missing or
 * malformed variable fails the container at start, not a request later. The names are
 * constants shared with infra/ so the stack and the code cannot drift apart.
 */
import * as z from './schemas/zod';

export const ENV = {
  tableName: 'TABLE_NAME',
  allowedOrigins: 'ALLOWED_ORIGINS',
  maxBodyBytes: 'MAX_BODY_BYTES',
  stateMachineArn: 'STATE_MACHINE_ARN',
  frontendUrl: 'FRONTEND_URL',
  paystackBaseUrl: 'PAYSTACK_BASE_URL',
  paystackSecretKey: 'PAYSTACK_SECRET_KEY',
  paystackSecretArn: 'PAYSTACK_SECRET_ARN',
  zoomApiBaseUrl: 'ZOOM_API_BASE_URL',
  zoomOauthUrl: 'ZOOM_OAUTH_URL',
  zoomAccountId: 'ZOOM_ACCOUNT_ID',
  zoomClientId: 'ZOOM_CLIENT_ID',
  zoomClientSecret: 'ZOOM_CLIENT_SECRET',
  zoomSecretArn: 'ZOOM_SECRET_ARN',
  zoomUserId: 'ZOOM_USER_ID',
  zoomHostUsers: 'ZOOM_HOST_USERS',
  zoomWebhookSecretToken: 'ZOOM_WEBHOOK_SECRET_TOKEN',
  userPoolId: 'USER_POOL_ID',
  emailFrom: 'EMAIL_FROM',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  emailLinkSecret: 'EMAIL_LINK_SECRET',
  emailLinkSecretArn: 'EMAIL_LINK_SECRET_ARN',
  apiUrl: 'API_URL',
  withdrawalMinimum: 'WITHDRAWAL_MINIMUM',
  timelineScheduleGroup: 'TIMELINE_SCHEDULE_GROUP',
  timelineTargetArn: 'TIMELINE_TARGET_ARN',
  timelineSchedulerRoleArn: 'TIMELINE_SCHEDULER_ROLE_ARN',
  timelineDlqArn: 'TIMELINE_DLQ_ARN',
} as const;

const schema = z.object({
  [ENV.tableName]: z.string().check(z.minLength(3)),
  [ENV.allowedOrigins]: z.pipe(
    z._default(z.string(), 'http://localhost:5173,http://localhost:3000'),
    z.transform((v: string) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ),
  [ENV.maxBodyBytes]: z._default(z.coerce.number().check(z.int(), z.positive()), 16 * 1024),
});

export interface Config {
  tableName: string;
  allowedOrigins: string[];
  maxBodyBytes: number;
}

let cached: Config | undefined;

export const config = (): Config => {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    const env = parsed.data;
    cached = {
      tableName: env[ENV.tableName],
      allowedOrigins: env[ENV.allowedOrigins],
      maxBodyBytes: env[ENV.maxBodyBytes],
    };
  }
  return cached;
};

/** Only the functions that start workflow executions need this, so it is read on first use. */
export const stateMachineArn = (): string => {
  const arn = process.env[ENV.stateMachineArn];
  if (!arn?.startsWith('arn:')) throw new Error(`Invalid environment: ${ENV.stateMachineArn} must be a state machine ARN`);
  return arn;
};

/** Where the timeline's schedules go and what they invoke: read on first use, by the functions that keep them. */
export const timelineSchedules = (): { group: string; targetArn: string; roleArn: string; dlqArn?: string } => {
  const group = process.env[ENV.timelineScheduleGroup];
  const targetArn = process.env[ENV.timelineTargetArn];
  const roleArn = process.env[ENV.timelineSchedulerRoleArn];
  const dlqArn = process.env[ENV.timelineDlqArn];
  if (!group) throw new Error(`Invalid environment: ${ENV.timelineScheduleGroup} must name a schedule group`);
  for (const [name, v] of [
    [ENV.timelineTargetArn, targetArn],
    [ENV.timelineSchedulerRoleArn, roleArn],
  ] as const) {
    if (!v?.startsWith('arn:')) throw new Error(`Invalid environment: ${name} must be an ARN`);
  }
  return { group, targetArn: targetArn!, roleArn: roleArn!, ...(dlqArn ? { dlqArn } : {}) };
};

/** ₦1,000: below it a transfer's fee is a large share of the amount. */
export const DEFAULT_WITHDRAWAL_MINIMUM = 100_000;

/** The smallest withdrawal, in minor units (WITHDRAWAL_MINIMUM). */
export const withdrawalMinimum = (): number => {
  const raw = process.env[ENV.withdrawalMinimum];
  if (!raw) return DEFAULT_WITHDRAWAL_MINIMUM;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`Invalid environment: ${ENV.withdrawalMinimum} must be a positive whole number of minor units`);
  return n;
};

export const DEFAULT_PAYSTACK_BASE_URL = 'https://api.paystack.co';

/** Read on first use, by the functions that call Paystack. Default: the live API. */
export const paystackBaseUrl = (): string => {
  const raw = process.env[ENV.paystackBaseUrl] || DEFAULT_PAYSTACK_BASE_URL;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw new Error(`Invalid environment: ${ENV.paystackBaseUrl} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
};

/**
 * Where the Paystack secret key comes from: the variable itself (locally, tests), else the
 * Secrets Manager secret it names (in AWS). Fetching the secret is shared/integrations/paystack's job,
 * so the SDK client is loaded only by the functions that need it.
 */
export const paystackSecretSource = (): { key: string } | { secretArn: string } => {
  const key = process.env[ENV.paystackSecretKey];
  if (key) return { key };
  const secretArn = process.env[ENV.paystackSecretArn];
  if (secretArn) return { secretArn };
  throw new Error(`Invalid environment: set ${ENV.paystackSecretKey} or ${ENV.paystackSecretArn}`);
};

/** Where Paystack sends the student back after checkout (the frontend's session page lives there). */
export const frontendUrl = (): string => {
  const raw = process.env[ENV.frontendUrl] || 'http://localhost:5173';
  if (!URL.canParse(raw)) throw new Error(`Invalid environment: ${ENV.frontendUrl} must be a URL`);
  return raw.replace(/\/+$/, '');
};

export const DEFAULT_ZOOM_API_BASE_URL = 'https://api.zoom.us/v2';
export const DEFAULT_ZOOM_OAUTH_URL = 'https://zoom.us/oauth/token';

const httpUrl = (name: string, fallback: string): string => {
  const raw = process.env[name] || fallback;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) throw new Error(`Invalid environment: ${name} must be an http(s) URL`);
  return raw.replace(/\/+$/, '');
};

/** Read on first use, by the functions that call Zoom. Default: the live API. */
export const zoomApiBaseUrl = (): string => httpUrl(ENV.zoomApiBaseUrl, DEFAULT_ZOOM_API_BASE_URL);

/** Zoom's OAuth token endpoint (Server-to-Server OAuth). */
export const zoomOauthUrl = (): string => httpUrl(ENV.zoomOauthUrl, DEFAULT_ZOOM_OAUTH_URL);

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Where the Zoom app's credentials come from: the three variables (locally, tests), else the
 * Secrets Manager secret ZOOM_SECRET_ARN names, JSON `{accountId, clientId, clientSecret}`
 * (in AWS). Fetching the secret is shared/integrations/zoom's job.
 */
export const zoomCredentialSource = (): { credentials: ZoomCredentials } | { secretArn: string } => {
  const accountId = process.env[ENV.zoomAccountId];
  const clientId = process.env[ENV.zoomClientId];
  const clientSecret = process.env[ENV.zoomClientSecret];
  if (accountId && clientId && clientSecret) return { credentials: { accountId, clientId, clientSecret } };
  const secretArn = process.env[ENV.zoomSecretArn];
  if (secretArn) return { secretArn };
  throw new Error(`Invalid environment: set ${ENV.zoomAccountId}, ${ENV.zoomClientId} and ${ENV.zoomClientSecret}, or ${ENV.zoomSecretArn}`);
};

/**
 * Where the Zoom app's webhook Secret Token (it signs the events Zoom posts) comes from: the
 * variable itself (locally, tests), else the `webhookSecretToken` field of the Zoom secret
 * ZOOM_SECRET_ARN names (in AWS). No default here: a guessable token would let anyone post events.
 */
export const zoomWebhookSecretSource = (): { token: string } | { secretArn: string } => {
  const token = process.env[ENV.zoomWebhookSecretToken];
  if (token) return { token };
  const secretArn = process.env[ENV.zoomSecretArn];
  if (secretArn) return { secretArn };
  throw new Error(`Invalid environment: set ${ENV.zoomWebhookSecretToken} or ${ENV.zoomSecretArn}`);
};

/** The Zoom user who hosts the meetings: `me` (the app's own user) unless ZOOM_USER_ID names another. */
export const zoomUserId = (): string => {
  const raw = process.env[ENV.zoomUserId] || 'me';
  if (!/^[A-Za-z0-9._@+-]{1,128}$/.test(raw)) throw new Error(`Invalid environment: ${ENV.zoomUserId} must be a Zoom user id or email`);
  return raw;
};

/**
 * The pool of licensed Zoom users that host meetings of tutors without a Zoom user of their
 * own: ZOOM_HOST_USERS, comma-separated user ids or emails, in the order they are tried.
 * Unset or empty: no pool, every such meeting goes to ZOOM_USER_ID without host blocks (one
 * host; its overlapping meetings are not prevented).
 */
export const zoomHostUsers = (): string[] => {
  const raw = process.env[ENV.zoomHostUsers] ?? '';
  const users = raw
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  for (const u of users) if (!/^[A-Za-z0-9._@+-]{1,128}$/.test(u)) throw new Error(`Invalid environment: ${ENV.zoomHostUsers} must list Zoom user ids or emails, comma-separated`);
  return [...new Map(users.map((u) => [u.toLowerCase(), u])).values()];
};

/**
 * The Cognito user pool whose groups are the roles, for the functions that change a user's
 * groups (tutor approval). Unset locally: the local tokens take their roles from the user item.
 */
export const userPoolId = (): string | undefined => {
  const raw = process.env[ENV.userPoolId];
  if (!raw) return undefined;
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(raw)) throw new Error(`Invalid environment: ${ENV.userPoolId} must be a Cognito user pool id`);
  return raw;
};

export const DEFAULT_EMAIL_FROM = 'no-reply@mentorship.localhost';

/**
 * What the email consumer sends as: the sender address (an identity SES verified, in AWS) and
 * the configuration set whose event destination reports bounces and complaints. Read on first use.
 */
export const emailSender = (): { address: string; configurationSet: string | undefined } => {
  const address = process.env[ENV.emailFrom] || DEFAULT_EMAIL_FROM;
  if (!/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(address)) throw new Error(`Invalid environment: ${ENV.emailFrom} must be an email address`);
  const configurationSet = process.env[ENV.sesConfigurationSet] || undefined;
  if (configurationSet !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(configurationSet))
    throw new Error(`Invalid environment: ${ENV.sesConfigurationSet} must be a configuration set name`);
  return { address, configurationSet };
};

/** The public HTTP API, where an email's one-click unsubscribe link points. */
export const apiUrl = (): string => httpUrl(ENV.apiUrl, 'http://localhost:3000');

/**
 * The key that signs the unsubscribe links: the variable itself (locally, tests), else the
 * Secrets Manager secret it names (in AWS). No default: a known key would let anyone
 * unsubscribe anyone.
 */
export const emailLinkSecretSource = (): { value: string } | { secretArn: string } => {
  const value = process.env[ENV.emailLinkSecret];
  if (value) return { value };
  const secretArn = process.env[ENV.emailLinkSecretArn];
  if (secretArn) return { secretArn };
  throw new Error(`Invalid environment: set ${ENV.emailLinkSecret} or ${ENV.emailLinkSecretArn}`);
};
