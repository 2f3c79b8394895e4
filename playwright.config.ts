/**
 * The browser tier (`npm run test:browser`, and last in `npm test`): Playwright's runner driving
 * Debian's Chromium (scripts/chromium.ts finds it, and installs it when missing) against one
 * local stack for the whole tier (test/browser/global-setup.ts), with the web client it serves.
 * Each file makes its own users; each person in a journey is a browser context of their own.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium';

// The global setup installs Chromium when missing and hands its path to the workers in
// CHROMIUM_PATH; the runner's own process reads this config before that and launches nothing.
const executablePath = findChromium();

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/browser/global-setup.ts',
  // Two workers on two cores: each runs a file's journeys, each journey one to three contexts.
  workers: 2,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  // WebSocket pushes and the workflow's steps arrive within seconds on a loaded machine.
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/browser',
  use: {
    browserName: 'chromium',
    ...(executablePath ? { launchOptions: { executablePath, args: CHROMIUM_ARGS } } : {}),
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
