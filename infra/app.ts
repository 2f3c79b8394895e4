/**
 * The CDK app (cdk.json: `tsx infra/app.ts`): the context values (`-c name=value`, listed under
 * Deploying in README.md) checked and handed to one stack, `Mentorship-<stage>`. The stack is
 * environment-agnostic (no account or region lookups), so synth works offline.
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
