/** Email preferences: a user switches an optional kind off and changes the time zone; the page shows what was saved after a reload. */
import { expect, test } from '@playwright/test';
import { fileUsers, pageAs, VIEWER_ZONE } from './people';
import { browserStack } from './stack';

const stack = browserStack();
const u = fileUsers(stack, 'preferences');

test('a user switches an email kind off, saves, and the saved state shows after a reload', async ({ browser }) => {
  const page = await pageAs(browser, stack, u.students.chidi.id);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Email preferences' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Email preferences' })).toBeVisible();

  // Never set: the browser's zone is offered; every optional kind is on, and money mail cannot be switched off.
  await expect(page.getByLabel('Time zone')).toHaveValue(VIEWER_ZONE);
  await expect(page.getByRole('checkbox', { name: 'Session reminders' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Refunds' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Refunds' })).toBeDisabled();

  await page.getByRole('checkbox', { name: 'Session reminders' }).uncheck();
  await page.getByLabel('Time zone').selectOption('Europe/London');
  await page.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Preferences saved.' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Email preferences' })).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Session reminders' })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Recordings ready' })).toBeChecked();
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/London');
});
