/**
 * A first-time visitor: signs up on the sign-in page (name and email, no password locally),
 * comes back signed in as a student (the browser's time zone saved as theirs), finds a tutor
 * in the list and asks for a session.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { bookOnTutorPage, fileUsers, VIEWER_ZONE } from './people';
import { browserStack } from './stack';

const stack = browserStack();
const u = fileUsers(stack, 'sign-up');

test('a new user signs up, lands as a student, finds a tutor and books a request', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: stack.webUrl, timezoneId: VIEWER_ZONE, locale: 'en-GB' });
  const page = await context.newPage();
  const name = `Ngozi ${randomBytes(3).toString('hex')}`;
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(`${name.replace(' ', '.').toLowerCase()}@example.com`);
  // On the first sign-in the web client saves the browser's time zone as the user's (none was saved yet).
  const saved = page.waitForResponse((r) => r.url().endsWith('/me/preferences') && r.request().method() === 'PUT');
  await page.getByRole('button', { name: 'Sign up' }).click();
  const put = await saved;
  expect(put.status()).toBe(200);
  expect(await put.json()).toMatchObject({ timeZone: VIEWER_ZONE, timeZoneSet: true });
  const stored = await page.request.get(put.url(), { headers: { authorization: (await put.request().allHeaders()).authorization! } });
  expect(await stored.json()).toMatchObject({ timeZone: VIEWER_ZONE, timeZoneSet: true });

  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My sessions' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Become a tutor' })).toBeVisible();

  await page.getByRole('link', { name: 'Find a tutor' }).click();
  await page.getByRole('link', { name: u.tutors.ada.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: u.tutors.ada.name })).toBeVisible();
  await bookOnTutorPage(page, u.tutors.ada.id, { title: 'My first session', mode: 'REQUEST' });
  await expect(page.getByRole('heading', { level: 1, name: 'My first session' })).toBeVisible();
  await expect(page.getByText('Awaiting approval', { exact: true })).toBeVisible();
});
