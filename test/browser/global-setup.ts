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

  // The web client's port is the tier's own: a developer's `npm start` may hold the default.
  const webPort = await freePort();
  // Retries of failing emulated calls are compressed, as in the e2e tier; deadlines keep their length.
  const stack = await bootLocalStack({ LOCAL_RETRY_TIME_SCALE: '1000', WEB_PORT: String(webPort) });
  const { stop, output: _output, pid: _pid, exitCode: _exitCode, token: _token, register: _register, api: _api, ...address } = stack;
  const browserAddress: BrowserStackAddress = { ...address, webUrl: `http://localhost:${webPort}` };
  process.env[BROWSER_STACK_ENV] = JSON.stringify(browserAddress);
  return stop;
}
