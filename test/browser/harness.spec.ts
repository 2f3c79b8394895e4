/** The tier itself: Chromium reaches the local stack, and a page's fetch gets the API's answers. */
import { expect, test } from './stack';

test('Chromium opens the local stack and its API answers a page', async ({ page, stack }) => {
  await page.goto(`${stack.url}/openapi.json`);
  await expect(page.locator('body')).toContainText('"openapi"');
  const health = await page.evaluate(async () => (await fetch('/health')).status);
  expect(health).toBe(200);
});
