import { RemovalPolicy } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config';

export interface ZoomProps {
  /** Zoom's API, e.g. `https://api.zoom.us/v2`. */
  apiBaseUrl: string;
  /** Zoom's OAuth token endpoint, e.g. `https://zoom.us/oauth/token`. */
  oauthUrl: string;
  /** The Zoom user who hosts the meetings: `me` (the app's own user), a user id or an email. */
  userId: string;
  /** The pool of host users (ZOOM_HOST_USERS), tried in this order; empty: none, every meeting to `userId`. */
  hostUsers?: readonly string[];
  /** Production: keep the secret when the stack is deleted. */
  production: boolean;
}

/** Told to the operator on the secret and on its output. */
export const ZOOM_SECRET_INSTRUCTIONS =
  'Zoom Server-to-Server OAuth app credentials for the mentorship backend. After the first deploy, set the secret value to ' +
  '{"accountId":"<account id>","clientId":"<client id>","clientSecret":"<client secret>","webhookSecretToken":"<the app\'s webhook secret token>"} (Secrets Manager console, or ' +
  '`aws secretsmanager put-secret-value --secret-id <ZoomSecretArn> --secret-string ...`). ' +
  'Until then, calls to Zoom fail (the placeholder has empty fields), paid bookings fall back to asking the tutor for a link, and the recordings webhook answers 500.';

/** A Zoom user id, an email, or `me` (the same check as shared/config.ts zoomUserId()). */
const ZOOM_USER_ID = /^[A-Za-z0-9._@+-]{1,128}$/;

/**
 * What the functions that call Zoom need: the Secrets Manager secret holding the Zoom app's
 * credentials, where Zoom is, and who hosts the meetings.
 *
 * Like the Paystack secret (paystack.ts): created with a generated placeholder,
 * `{"accountId":"","clientId":"","clientSecret":"","placeholder":"<random>"}` (empty fields, so
 * the functions fail with "The Zoom secret must be JSON {accountId, clientId, clientSecret}"
 * rather than calling Zoom with made-up credentials); the operator puts the real ones in once.
 * No credential is in the template or in an environment variable (ZOOM_ACCOUNT_ID,
 * ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are for the local stack only); the functions get the
 * secret's ARN and read it at run time (shared/integrations/zoom.ts, once per container).
 */
export class Zoom extends Construct {
  readonly secret: Secret;
  readonly apiBaseUrl: string;
  readonly oauthUrl: string;
  readonly userId: string;
  readonly hostUsers: readonly string[];

  constructor(scope: Construct, id: string, props: ZoomProps) {
    super(scope, id);
    if (!ZOOM_USER_ID.test(props.userId)) throw new Error(`zoomUserId must be a Zoom user id, an email or "me", got "${props.userId}"`);
    this.apiBaseUrl = props.apiBaseUrl;
    this.oauthUrl = props.oauthUrl;
    this.userId = props.userId;
    for (const u of props.hostUsers ?? []) if (!ZOOM_USER_ID.test(u)) throw new Error(`zoomHostUsers must list Zoom user ids or emails, got "${u}"`);
    this.hostUsers = props.hostUsers ?? [];
    this.secret = new Secret(this, 'Secret', {
      description: ZOOM_SECRET_INSTRUCTIONS,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ accountId: '', clientId: '', clientSecret: '', webhookSecretToken: '' }),
        generateStringKey: 'placeholder',
        excludePunctuation: true,
      },
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
  }

  /** Let `fn` call Zoom: the secret's ARN, the API and OAuth URLs, the host user, and read access to that one secret. */
  grant(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.zoomSecretArn, this.secret.secretArn);
    fn.addEnvironment(ENV.zoomApiBaseUrl, this.apiBaseUrl);
    fn.addEnvironment(ENV.zoomOauthUrl, this.oauthUrl);
    fn.addEnvironment(ENV.zoomUserId, this.userId);
    if (this.hostUsers.length > 0) fn.addEnvironment(ENV.zoomHostUsers, this.hostUsers.join(','));
    this.secret.grantRead(fn);
  }

  /** Let `fn` check Zoom's webhook signatures: the secret's ARN and read access to it (for its `webhookSecretToken`), none of Zoom's URLs. */
  grantWebhook(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.zoomSecretArn, this.secret.secretArn);
    this.secret.grantRead(fn);
  }
}
