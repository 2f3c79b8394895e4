/**
 * The tutor's wallet in the browser: a tutor with an earned balance adds a payout account (the
 * account name resolved by the bank shown back), withdraws by keyboard, and watches the
 * withdrawal go from pending to paid out as the Paystack emulator settles the transfer; an
 * amount below the minimum is refused in words; at 390 px the page does not scroll sideways.
 */
import { randomInt } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { bookAndPay } from '../support/e2e';
import { slotIn } from '../support/local-stack';
import { fileUsers, pageAs } from './people';
import { browserStack } from './stack';

const stack = browserStack();
const u = fileUsers(stack, 'wallet');

/** Naira as the page writes it in en-GB ("NGN 3,500.00", with whatever space Intl puts after the code). */
const naira = (major: string) => new RegExp(`NGN\\s${major.replace(/[.,]/g, (c) => `\\${c}`)}$`);

const stat = (page: Page, name: 'Available' | 'Pending') =>
  page
    .getByRole('term')
    .filter({ hasText: new RegExp(`^${name}$`) })
    .locator('xpath=following-sibling::dd');

/** How far the page scrolls sideways (0: not at all). */
const horizontalOverflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');

test.beforeAll(async () => {
  // One paid hour with Ada (₦5,000 an hour): she is credited 70 %, ₦3,500.
  await bookAndPay(stack, u.students.bola.id, { tutorId: u.tutors.ada.id, scheduledAt: slotIn(4, 9), durationMinutes: 60, title: 'Wallet: paid hour' });
});

test('a tutor adds a payout account, sees the resolved name, withdraws by keyboard and watches it go from pending to paid out; below the minimum is refused in words', async ({
  browser,
}) => {
  // A number of the file's own: the emulator's outcomes are set per account number by other tests.
  const accountNumber = `2${String(randomInt(1e8, 1e9))}`;
  const last4 = accountNumber.slice(-4);
  const page = await pageAs(browser, stack, u.tutors.ada.id);
  await page.goto('/tutor/wallet');
  await expect(page.getByRole('heading', { level: 1, name: 'Wallet' })).toBeVisible();
  await expect(stat(page, 'Available')).toHaveText(naira('3,500.00'));
  await expect(stat(page, 'Pending')).toHaveText(naira('0.00'));
  const withdrawals = page.getByRole('region', { name: 'Withdrawals' });
  await expect(withdrawals).toContainText('No withdrawals yet.');
  const withdraw = page.getByRole('button', { name: 'Withdraw', exact: true });
  await expect(withdraw).toBeDisabled();
  await expect(withdraw).toHaveAccessibleDescription('Add a payout account below to withdraw.');

  // The payout account: a number that is not ten digits is refused before anything is sent; one the bank does not know, by the API.
  const account = page.getByRole('region', { name: 'Payout account' });
  await expect(account).toContainText('No payout account yet');
  const bank = account.getByRole('combobox', { name: 'Bank' });
  await expect(bank).toBeEnabled();
  await bank.selectOption({ label: 'Guaranty Trust Bank' });
  const number = account.getByRole('textbox', { name: 'Account number' });
  await number.fill('01234');
  await account.getByRole('button', { name: 'Save payout account' }).click();
  await expect(account.getByRole('alert')).toHaveText('Enter the 10-digit account number.');
  // The emulator resolves no number starting 000.
  await number.fill('0001234567');
  await account.getByRole('button', { name: 'Save payout account' }).click();
  await expect(account.getByRole('alert')).toHaveText('The bank could not find that account. Please check the bank and the account number.');
  await number.fill(accountNumber);
  await account.getByRole('button', { name: 'Save payout account' }).click();
  // The name the bank resolved, shown back to be confirmed; the number only by its last four digits.
  await expect(account.getByRole('status')).toHaveText(
    `Saved. The bank says this account is in the name of EMULATED ACCOUNT ${last4}. If that is not you, change it before withdrawing.`,
  );
  await expect(account.getByRole('definition').filter({ hasText: 'Guaranty Trust Bank' })).toBeVisible();
  await expect(account.getByRole('definition').filter({ hasText: 'ending in' })).toHaveText(`••••ending in ${last4}`);

  // Withdraw, by keyboard: below the minimum first.
  await expect(withdraw).toBeEnabled();
  await withdraw.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Withdraw to Guaranty Trust Bank ••••${last4}` });
  const amount = dialog.getByRole('textbox', { name: 'Amount' });
  await expect(amount).toBeFocused();
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('That amount is below the minimum withdrawal. Please withdraw a larger amount.');
  await expect(stat(page, 'Available')).toHaveText(naira('3,500.00'));

  // The emulator holds this account's transfers until told: the pending state is seen for certain, not raced.
  const hold = await fetch(`${stack.paystackUrl}/_emulator/transfers/outcome`, { method: 'POST', body: JSON.stringify({ accountNumber, outcome: 'held' }) });
  expect(hold.status).toBe(200);
  await amount.fill('1500.50');
  await dialog.getByRole('button', { name: 'Confirm withdrawal' }).press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'is on its way to' })).toContainText('1,500.50');
  await expect(stat(page, 'Available')).toHaveText(naira('1,999.50'));
  await expect(stat(page, 'Pending')).toHaveText(naira('1,500.50'));
  const item = withdrawals.getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item.locator('.badge')).toHaveText(/^(Pending|Processing)$/);

  // The emulator settles the transfer and sends transfer.success: the page follows without a reload.
  const release = await fetch(`${stack.paystackUrl}/_emulator/transfers/outcome`, { method: 'POST', body: JSON.stringify({ accountNumber, outcome: 'success' }) });
  expect(release.status).toBe(200);
  await expect(item.locator('.badge')).toHaveText('Paid out', { timeout: 30_000 });
  await expect(stat(page, 'Pending')).toHaveText(naira('0.00'));
  await expect(stat(page, 'Available')).toHaveText(naira('1,999.50'));
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'Withdrawal paid out' })).toContainText('1,500.50');

  // The tutor is told in the inbox too.
  const bell = page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await bell.click();
  await expect(page.getByRole('region', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Withdrawal paid' })).toContainText('1,500.50');
  await bell.click();

  // "Change payout account" takes the keyboard into the form, and "Cancel" back to the button.
  await account.getByRole('button', { name: 'Change payout account' }).click();
  await expect(bank).toBeFocused();
  await account.getByRole('button', { name: 'Cancel' }).click();
  await expect(account.getByRole('button', { name: 'Change payout account' })).toBeFocused();

  // The same page on a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(item).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
});

test('at 390 px a tutor with nothing earned sees the empty wallet, the payout account form and no sideways scroll', async ({ browser }) => {
  const page = await pageAs(browser, stack, u.tutors.tunde.id);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/tutor/wallet');
  await expect(page.getByRole('heading', { level: 2, name: 'Payout account' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Bank' })).toBeEnabled();
  await expect(page.getByRole('region', { name: 'Withdrawals' })).toContainText('No withdrawals yet.');
  expect(await horizontalOverflow(page)).toBe(0);
});

test('a transfer the bank fails shows Failed with its reason, and the money is back in Available', async ({ browser }) => {
  // One paid hour with Tunde (₦7,500 an hour): ₦5,250 to him. His account's transfers fail (the emulator's control endpoint).
  await bookAndPay(stack, u.students.chidi.id, { tutorId: u.tutors.tunde.id, scheduledAt: slotIn(5, 15), durationMinutes: 60, title: 'Wallet: failed payout' });
  const accountNumber = `3${String(randomInt(1e8, 1e9))}`;
  const outcome = await fetch(`${stack.paystackUrl}/_emulator/transfers/outcome`, { method: 'POST', body: JSON.stringify({ accountNumber, outcome: 'failed' }) });
  expect(outcome.status).toBe(200);
  expect((await stack.api('PUT', '/me/payout-account', { as: u.tutors.tunde.id, body: { bankCode: '058', accountNumber } })).status).toBe(200);

  const page = await pageAs(browser, stack, u.tutors.tunde.id);
  await page.goto('/tutor/wallet');
  await expect(stat(page, 'Available')).toHaveText(naira('5,250.00'));
  await page.getByRole('button', { name: 'Withdraw', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /^Withdraw to Guaranty Trust Bank/ });
  await dialog.getByRole('textbox', { name: 'Amount' }).fill('5,250');
  await dialog.getByRole('button', { name: 'Confirm withdrawal' }).click();
  await expect(dialog).toBeHidden();
  const item = page.getByRole('region', { name: 'Withdrawals' }).getByRole('listitem');
  await expect(item.locator('.badge')).toHaveText('Failed', { timeout: 30_000 });
  // Paystack's reason (or the bank's refusal in general words), then where the money is.
  await expect(item.locator('p').last()).toHaveText(/^\S.*\. The money is back in your available balance\.$/);
  await expect(stat(page, 'Available')).toHaveText(naira('5,250.00'));
  await expect(stat(page, 'Pending')).toHaveText(naira('0.00'));
});
