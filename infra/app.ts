/**
 * The CDK app (cdk.json: `tsx infra/app.ts`). Context:
 *   stage           dev (default) | staging | prod …; the stack is `Mentorship-<stage>`
 *   allowedOrigins  comma-separated CORS origins; default http://localhost:5173,http://localhost:3000
 *   paystackBaseUrl Paystack's API; default https://api.paystack.co
 *   frontendUrl     the front end, where Paystack sends students after checkout; default http://localhost:5173
 *   zoomUserId      the Zoom user who hosts the meetings; default `me` (the Zoom app's own user)
 *   zoomHostUsers   comma-separated pool of licensed Zoom host users (ids or emails), tried in
 *                   order so no host has two meetings at once; unset: every meeting to zoomUserId
 *   zoomApiBaseUrl  Zoom's API; default https://api.zoom.us/v2
 *   zoomOauthUrl    Zoom's OAuth token endpoint; default https://zoom.us/oauth/token
 *   meetingConcurrency  reserved concurrency of the confirmBooking step (the meeting); default 10; `none`: no
 *                   reservation (for accounts whose Lambda concurrency quota is too small for one)
 *   throttleRate, throttleBurst  API Gateway throttling of both APIs (requests/s, burst); default
 *                   by stage (STAGE_THROTTLE in stack.ts): prod 500/1000, others 50/100
 *   emailFrom       the sender address of every email, e.g. no-reply@mail.example.com (default no-reply@example.com:
 *                   synthesizes, but cannot be verified)
 *   emailIdentity   the SES identity to verify and send from: a domain (DKIM CNAMEs, output EmailDkimRecords) or
 *                   the sender address itself; default the sender's domain
 *   emailSandboxRecipients  comma-separated verified recipients, while the SES account is in the sandbox
 *   authDomainPrefix  managed login's domain prefix (https://<prefix>.auth.<region>.amazoncognito.com);
 *                   default the stack name in lower case (mentorship-dev); prefixes are unique per region
 *   callbackUrls    comma-separated sign-in callback URLs of the web app; default http://localhost:5173/auth/callback
 *   logoutUrls      comma-separated URLs managed login may return to after sign-out; default http://localhost:5173/
 *   web             host the web client (infra/constructs/web-hosting.ts): true (default) or false;
 *                   the build is web/dist (`npm run web:build` first; without it a
 *                   placeholder page is deployed), its CloudFront URL is the front end unless
 *                   frontendUrl is given, and is added to the API's CORS origins
 *   logLevel        the functions' log level, INFO (default) or DEBUG (logs each event, redacted;
 *                   not allowed in prod); read by constructs/booking-function.ts
 * e.g. `npx cdk synth -c stage=prod -c allowedOrigins=https://app.example.com -c frontendUrl=https://app.example.com`.
 * The Paystack secret key and the Zoom credentials are no context values: the stack creates a
 * Secrets Manager secret for each (outputs PaystackSecretArn, ZoomSecretArn) and the operator
 * sets their values once after the first deploy.
 * The stack is environment-agnostic: no account or region lookups, so synth works offline.
 */
import { App, Tags } from 'aws-cdk-lib';
import { DEFAULT_ALLOWED_ORIGINS, MentorshipStack } from './stack';

const app = new App();

const stage = String(app.node.tryGetContext('stage') ?? 'dev');
if (!/^[a-z][a-z0-9-]{0,30}$/.test(stage)) {
  throw new Error(`Context "stage" must be lower-case letters, digits and hyphens, got "${stage}"`);
}
// A string from `-c allowedOrigins=a,b`; cdk.json may hold any JSON value.
const listContext = (key: string): string[] | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value
    ? String(value)
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
    : undefined;
};
const allowedOrigins = listContext('allowedOrigins') ?? DEFAULT_ALLOWED_ORIGINS;
const callbackUrls = listContext('callbackUrls');
const logoutUrls = listContext('logoutUrls');

const optionalString = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key) as unknown;
  return value === undefined || value === null || value === '' ? undefined : String(value);
};
const paystackBaseUrl = optionalString('paystackBaseUrl');
const frontendUrl = optionalString('frontendUrl');
const zoomUserId = optionalString('zoomUserId');
const zoomHostUsers = optionalString('zoomHostUsers')
  ?.split(',')
  .map((u) => u.trim())
  .filter(Boolean);
const zoomApiBaseUrl = optionalString('zoomApiBaseUrl');
const zoomOauthUrl = optionalString('zoomOauthUrl');
const emailFrom = optionalString('emailFrom');
const emailIdentity = optionalString('emailIdentity');
const emailSandboxRecipients = optionalString('emailSandboxRecipients')
  ?.split(',')
  .map((r) => r.trim())
  .filter(Boolean);
const authDomainPrefix = optionalString('authDomainPrefix');
const concurrencyContext = optionalString('meetingConcurrency');
let meetingConcurrency: number | null | undefined;
if (concurrencyContext === 'none') meetingConcurrency = null;
else if (concurrencyContext !== undefined) {
  if (!/^[1-9][0-9]*$/.test(concurrencyContext)) throw new Error(`Context "meetingConcurrency" must be a positive integer or "none", got "${concurrencyContext}"`);
  meetingConcurrency = Number(concurrencyContext);
}

const webContext = optionalString('web') ?? 'true';
if (!['true', 'false'].includes(webContext)) throw new Error(`Context "web" must be true or false, got "${webContext}"`);

const throttleRate = optionalString('throttleRate');
const throttleBurst = optionalString('throttleBurst');
if ((throttleRate === undefined) !== (throttleBurst === undefined)) throw new Error('Context "throttleRate" and "throttleBurst" go together');
const throttle = throttleRate !== undefined && throttleBurst !== undefined ? { rateLimit: Number(throttleRate), burstLimit: Number(throttleBurst) } : undefined;

const tags = { project: 'mentorship', stage };
const stack = new MentorshipStack(app, `Mentorship-${stage}`, {
  stage,
  allowedOrigins,
  ...(paystackBaseUrl ? { paystackBaseUrl } : {}),
  ...(frontendUrl ? { frontendUrl } : {}),
  ...(zoomUserId ? { zoomUserId } : {}),
  ...(zoomHostUsers?.length ? { zoomHostUsers } : {}),
  ...(zoomApiBaseUrl ? { zoomApiBaseUrl } : {}),
  ...(zoomOauthUrl ? { zoomOauthUrl } : {}),
  ...(meetingConcurrency !== undefined ? { meetingConcurrency } : {}),
  ...(throttle ? { throttle } : {}),
  ...(emailFrom ? { emailFrom } : {}),
  ...(emailIdentity ? { emailIdentity } : {}),
  ...(emailSandboxRecipients ? { emailSandboxRecipients } : {}),
  ...(authDomainPrefix ? { authDomainPrefix } : {}),
  ...(callbackUrls ? { callbackUrls } : {}),
  ...(logoutUrls ? { logoutUrls } : {}),
  ...(webContext === 'true' ? { web: {} } : {}),
  description: `Mentorship booking backend (${stage})`,
  // The stack's own tags, which CloudFormation also puts on what it creates: with cdk.json's
  // explicitStackTags, Tags.of below tags only the resources in the template.
  tags,
});
for (const [key, value] of Object.entries(tags)) Tags.of(stack).add(key, value);

app.synth();
