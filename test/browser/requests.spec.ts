/**
 * REQUEST bookings between two people, each in a browser of their own: the student asks on
 * the tutor's page, the request reaches the tutor's open dashboard by push, and the tutor's
 * answer reaches the student's open pages the same way (no reload in between).
 */
import { expect, test } from '@playwright/test';
import { book } from '../support/e2e';
import { slotIn } from '../support/local-stack';
import { bookOnTutorPage, fileUsers, pageAs, payOnCheckout } from './people';
import { browserStack } from './stack';

const stack = browserStack();
const u = fileUsers(stack, 'requests');

test('a request shows on the tutor’s Approvals without a reload; approved, the student’s bell and Ready for payment update live, the student pays on the checkout page and is back on the confirmed session with its join link', async ({
  browser,
}) => {
  const [tutor, student] = await Promise.all([pageAs(browser, stack, u.tutors.ada.id), pageAs(browser, stack, u.students.bola.id)]);
  const title = 'Request flow: system design';

  await tutor.goto('/tutor/mentorship?tab=approvals');
  await expect(tutor.getByRole('tabpanel')).toContainText('No requests waiting for your approval.');

  await bookOnTutorPage(student, u.tutors.ada.id, { title, mode: 'REQUEST' });
  await expect(student.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(student.getByText('Awaiting approval', { exact: true })).toBeVisible();

  // The tutor's dashboard, open all along: the request arrives by push.
  const request = tutor.getByRole('article', { name: title });
  await expect(request).toBeVisible();
  await expect(request).toContainText(u.students.bola.name);
  await expect(tutor.getByRole('tab', { name: 'Approvals 1 waiting' })).toBeVisible();

  await student.goto('/mentorship/sessions?tab=ready-for-payment');
  await expect(student.getByRole('tabpanel')).toContainText('Nothing to pay for.');
  const bell = student.getByRole('button', { name: /^Notifications, \d+ unread$/ });
  await expect(bell).toHaveAccessibleName('Notifications, 0 unread');

  await request.getByRole('button', { name: 'Approve' }).click();
  await expect(request).toBeHidden();

  // The student's page, open all along: the bell and the tab follow the approval.
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');
  const toPay = student.getByRole('article', { name: title });
  await expect(toPay).toBeVisible();
  await bell.click();
  await expect(student.getByRole('region', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: 'Request approved' })).toContainText(title);
  await bell.click();

  await toPay.getByRole('button', { name: 'Proceed to payment' }).click();
  await payOnCheckout(student);
  await expect(student.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(student.getByText('Paid', { exact: true })).toBeVisible();
  await expect(student.getByText('Scheduled', { exact: true })).toBeVisible();
  // Confirmed with its meeting: the link, and "Join meeting" waiting for the start.
  const meeting = student.getByRole('region', { name: 'Meeting' });
  await expect(meeting.getByRole('button', { name: 'Join meeting' })).toBeDisabled();
  await expect(meeting.getByText(/^https:\/\//)).toBeVisible();
  await expect(meeting.getByRole('button', { name: 'Copy link' })).toBeEnabled();
});

test('a rejection needs a reason, and the student reads it on their Rejected tab as it happens, with “Request again”', async ({ browser }) => {
  const title = 'Rejected: career chat';
  const created = await book(stack, u.students.chidi.id, { tutorId: u.tutors.tunde.id, scheduledAt: slotIn(3, 11), bookingMode: 'REQUEST', title });
  expect(created.status).toBe(201);
  const [tutor, student] = await Promise.all([pageAs(browser, stack, u.tutors.tunde.id), pageAs(browser, stack, u.students.chidi.id)]);
  await student.goto('/mentorship/sessions?tab=rejected');
  await expect(student.getByRole('tabpanel')).toContainText('No rejected requests.');

  await tutor.goto('/tutor/mentorship?tab=approvals');
  await tutor.getByRole('article', { name: title }).getByRole('button', { name: 'Reject' }).click();
  const dialog = tutor.getByRole('dialog', { name: `Reject “${title}” from ${u.students.chidi.name}` });
  await dialog.getByRole('button', { name: 'Reject request' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Please give a reason: the student reads it.');
  const reason = 'I am travelling that week; please pick the week after.';
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await dialog.getByRole('button', { name: 'Reject request' }).click();
  await expect(dialog).toBeHidden();
  await expect(tutor.getByRole('article', { name: title })).toBeHidden();

  const rejected = student.getByRole('article', { name: title });
  await expect(rejected).toContainText(reason);
  await expect(student.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
  await rejected.getByRole('link', { name: 'Request again' }).click();
  await expect(student.getByText(`Requesting “${title}” again: pick a new time.`)).toBeVisible();
});
