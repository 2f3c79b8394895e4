/**
 * The browser tier's one local stack (`npm start`'s code, the web client included), booted
 * before the first file and stopped after the last: its addresses reach the workers in
 * BROWSER_STACK_ENV. Chromium is found, or installed, first (scripts/chromium.ts).
 */
import { chromiumVersion, ensureChromium } from '../../scripts/chromium';
import { freePort } from '../../infra/local/ports';
import { bootLocalStack } from '../support/local-stack';
import { BROWSER_STACK_ENV, type BrowserStackAddress } from './stack';

export default async function browserGlobalSetup(): Promise<() => Promise<void>> {
  const chromium = ensureChromium();
  process.env.CHROMIUM_PATH = chromium;
  console.log(`browser tier: ${chromiumVersion(chromium)} at ${chromium}`);

  // Ports of their own for the web client, the sign-in provider and the mail catcher: a
  // developer's `npm start` or the e2e tier's stack may hold the defaults.
  const [webPort, oidcPort, mailPort] = [await freePort(), await freePort(), await freePort()];
  // Retries of failing emulated calls are compressed, as in the e2e tier; deadlines keep their length.
  const stack = await bootLocalStack({ LOCAL_RETRY_TIME_SCALE: '1000', WEB_PORT: String(webPort), OIDC_PORT: String(oidcPort), MAIL_PORT: String(mailPort) });
  const { url, wsUrl, sfnUrl, paystackUrl, zoomUrl, dataDir } = stack;
  const address: BrowserStackAddress = {
    url,
    wsUrl,
    sfnUrl,
    paystackUrl,
    zoomUrl,
    dataDir,
    webUrl: `http://localhost:${webPort}`,
    oidcUrl: `http://localhost:${oidcPort}`,
    mailUrl: `http://localhost:${mailPort}`,
  };
  process.env[BROWSER_STACK_ENV] = JSON.stringify(address);
  return () => stack.stop();
}
