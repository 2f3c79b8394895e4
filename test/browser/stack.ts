/**
 * What a browser test gets: the tier's stack (test/browser/global-setup.ts) as `stack`
 * (tokens and API calls, test/support/local-stack.ts), with the web client's address.
 */
import { test as base } from '@playwright/test';
import { stackClient, type RunningStack, type StackAddress } from '../support/local-stack';

export const BROWSER_STACK_ENV = 'BROWSER_LOCAL_STACK';

export interface BrowserStackAddress extends StackAddress {
  /** The web client (`npm start` serves it on WEB_PORT). */
  webUrl: string;
}

export type BrowserStack = RunningStack & Pick<BrowserStackAddress, 'webUrl'>;

/** The tier's stack, for a file's module scope (its users are made before its tests). */
export const browserStack = (): BrowserStack => {
  const raw = process.env[BROWSER_STACK_ENV];
  if (!raw) throw new Error(`No local stack (${BROWSER_STACK_ENV} is unset): run the browser tests with npm run test:browser`);
  const address = JSON.parse(raw) as BrowserStackAddress;
  return { ...stackClient(address), webUrl: address.webUrl };
};

/** `test` with the tier's stack as a worker fixture. */
export const test = base.extend<object, { stack: BrowserStack }>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this destructuring
    async ({}, use) => {
      await use(browserStack());
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
