/**
 * INSTANT bookings in the browser: book and pay through the checkout page; cancel a paid
 * session, seeing the refund before confirming and the refund after; "Join meeting" disabled
 * before the live window and enabled inside it (the page’s clock moved, not waited for); the
 * tutor’s “Join as host” fetching a fresh start link on click.
 */
import { expect, test } from '@playwright/test';
import { bookAndPay, gridIn, paystackLog } from '../support/e2e';
import { slotIn } from '../support/local-stack';
import { bookOnTutorPage, fileUsers, pageAs, payOnCheckout, sessionIdOf } from './people';
import { browserStack } from './stack';

const stack = browserStack();
const u = fileUsers(stack, 'instant');

test('“Book and pay” goes to the checkout page; paid, the session page shows it confirmed, and the tutor’s Pending tab lists it', async ({ browser }) => {
  const title = 'Instant: TypeScript generics';
  const student = await pageAs(browser, stack, u.students.bola.id);
  await bookOnTutorPage(student, u.tutors.ada.id, { title, mode: 'INSTANT', day: 2 });
  await payOnCheckout(student);
  await expect(student.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(student.getByText('Paid', { exact: true })).toBeVisible();
  await expect(student.getByRole('region', { name: 'Meeting' }).getByRole('button', { name: 'Join meeting' })).toBeDisabled();
  await expect(student.getByRole('status').filter({ hasText: 'Payment processing' })).toHaveCount(0);
  const sessionId = sessionIdOf(student);

  const tutor = await pageAs(browser, stack, u.tutors.ada.id);
  await tutor.goto('/tutor/mentorship?tab=pending');
  await expect(tutor.getByRole('article', { name: title })).toContainText(u.students.bola.name);
  await tutor.getByRole('article', { name: title }).getByRole('link', { name: 'View session' }).click();
  await expect(tutor).toHaveURL(new RegExp(`/mentorship/session/${sessionId}$`));
});

test('cancelling a paid session says the full price comes back before confirming, and the session shows cancelled and refunded', async ({ browser }) => {
  const title = 'Instant: cancelled';
  const { session, reference } = await bookAndPay(stack, u.students.chidi.id, { tutorId: u.tutors.tunde.id, scheduledAt: slotIn(5, 12), title });
  const student = await pageAs(browser, stack, u.students.chidi.id);
  await student.goto(`/mentorship/session/${session.id}`);
  await student.getByRole('button', { name: 'Cancel session' }).click();
  const dialog = student.getByRole('dialog', { name: `Cancel “${title}”?` });
  await expect(dialog).toContainText(/You get the full NGN\s[\d,.]+ back\./);
  const reason = 'Something came up at work.';
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await dialog.getByRole('button', { name: 'Confirm cancellation' }).click();
  await expect(dialog).toBeHidden();
  // The badges, and the reason under "Cancelled".
  await expect(student.locator('.badges')).toHaveText(/^Cancelled\s*Refunded$/);
  await expect(student.getByRole('definition').filter({ hasText: reason })).toBeVisible();
  await expect(student.getByRole('button', { name: /^Notifications, [1-9]\d* unread$/ })).toBeVisible();
  expect(await paystackLog(stack).refundsOf(reference)).toBe(1);
});

test('“Join meeting” is disabled before the start and enabled once the session is live', async ({ browser }) => {
  const title = 'Instant: starts soon';
  const { session } = await bookAndPay(stack, u.students.bola.id, { tutorId: u.tutors.tunde.id, scheduledAt: gridIn(20), durationMinutes: 30, title });
  const student = await pageAs(browser, stack, u.students.bola.id);
  await student.clock.install();
  await student.goto(`/mentorship/session/${session.id}`);
  const join = student.getByRole('region', { name: 'Meeting' }).getByRole('button', { name: 'Join meeting' });
  await expect(join).toBeDisabled();
  await expect(student.getByText(/^Starts in /)).toBeVisible();
  await expect(student.getByText('The button works from the start time to the end.')).toBeVisible();

  await student.clock.fastForward(Date.parse(session.scheduledAt) - Date.now() + 60_000);
  await expect(join).toBeEnabled();
  await expect(student.getByText(/^Live now · ends in /)).toBeVisible();
  await expect(student.getByText('The session is live.')).toBeVisible();
});

test('the tutor’s “Join as host” fetches a fresh start link on click and opens it', async ({ browser }) => {
  const title = 'Instant: hosted';
  const { session } = await bookAndPay(stack, u.students.chidi.id, { tutorId: u.tutors.ada.id, scheduledAt: gridIn(20), durationMinutes: 30, title });
  const tutor = await pageAs(browser, stack, u.tutors.ada.id);
  // Nothing answers at zoom.us here: the opened tab gets a stand-in page.
  await tutor.context().route('https://zoom.us/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Zoom</title>' }));
  await tutor.clock.install();
  await tutor.goto(`/mentorship/session/${session.id}`);
  const meeting = tutor.getByRole('region', { name: 'Meeting' });
  const host = meeting.getByRole('button', { name: 'Join as host' });
  await expect(host).toBeDisabled();
  await expect(meeting.getByRole('button', { name: 'Join meeting' })).toHaveCount(0);

  await tutor.clock.fastForward(Date.parse(session.scheduledAt) - Date.now() + 60_000);
  await expect(host).toBeEnabled();
  const opened = tutor.waitForEvent('popup');
  await host.click();
  const tab = await opened;
  await expect(tab).toHaveURL(/^https:\/\/zoom\.us\/s\/\d+\?zak=/);
});
