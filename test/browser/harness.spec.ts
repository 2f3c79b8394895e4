/** The tier itself: Chromium opens the stack's web client, and a demo user signs in through the local provider's page. */
import { expect } from '@playwright/test';
import { signInThroughPage, VIEWER_ZONE } from './people';
import { test } from './stack';

test('a demo user signs in through the local provider’s page and is back in the app, signed in', async ({ browser, stack }) => {
  const context = await browser.newContext({ baseURL: stack.webUrl, timezoneId: VIEWER_ZONE });
  const page = await context.newPage();
  await signInThroughPage(page, 'Bola Adeyemi');
  await expect(page.getByText('Bola Adeyemi', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Notifications, \d+ unread$/ })).toBeVisible();
});
