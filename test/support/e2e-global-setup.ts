/**
 * The e2e tier's one local stack: booted before its first file, its addresses handed to the
 * workers through the environment (SHARED_STACK_ENV), stopped by e2e-global-teardown.ts.
 * Retries of failing emulated calls are compressed (a Zoom outage falls back in moments);
 * deadlines keep their real length, and a test that needs one to pass fires its timer.
 */
import { bootLocalStack, SHARED_STACK_ENV, type OwnStack } from './local-stack';

export default async function e2eGlobalSetup(): Promise<void> {
  const stack = await bootLocalStack({ LOCAL_RETRY_TIME_SCALE: '1000' });
  const { url, wsUrl, sfnUrl, schedulerUrl, paystackUrl, zoomUrl, dataDir, issuer, webUrl, mailUrl } = stack;
  process.env[SHARED_STACK_ENV] = JSON.stringify({ url, wsUrl, sfnUrl, schedulerUrl, paystackUrl, zoomUrl, dataDir, issuer, webUrl, mailUrl });
  (globalThis as { __E2E_STACK__?: OwnStack }).__E2E_STACK__ = stack;
}
