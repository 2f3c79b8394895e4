/**
 * The people of a browser journey: a file's own tutors and students on the tier's stack (as
 * useE2eUsers makes them for the e2e tier: ids no other file uses, so inboxes, lists and slots
 * are the file's alone), each in a browser context of their own, and what they do in more
 * than one journey: book a time on a tutor's page, pay on the Paystack emulator's checkout.
 */
import { randomBytes } from 'node:crypto';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { DEMO_USERS } from '../../infra/local/demo-data';
import { putTutor } from '../support/e2e';
import type { BrowserStack } from './stack';

/** Where the people of the journeys are: Lagos, as the demo tutors' students (the app shows times in the viewer's zone). */
export const VIEWER_ZONE = 'Africa/Lagos';

export interface FileUsers {
  /** Tutors with the demo tutors' profiles (every hour of every day, INSTANT and REQUEST) under names of their own. */
  tutors: { ada: { id: string; name: string }; tunde: { id: string; name: string } };
  students: { bola: { id: string; name: string }; chidi: { id: string; name: string } };
}

/** A file's own users; the tutors' profiles are put before the file's tests. */
export const fileUsers = (stack: BrowserStack, file: string): FileUsers => {
  const tag = randomBytes(3).toString('hex');
  const person = (key: string, demoId: string) => {
    const demo = DEMO_USERS.find((u) => u.id === demoId)!;
    const user = { id: `${file}-${tag}-${key}`, name: `${demo.displayName} ${tag}` };
    stack.register(user.id, demo.roles, user.name);
    return { user, demo };
  };
  const ada = person('tutor-ada', 'tutor-ada');
  const tunde = person('tutor-tunde', 'tutor-tunde');
  const bola = person('student-bola', 'student-bola');
  const chidi = person('student-chidi', 'student-chidi');
  test.beforeAll(async () => {
    for (const t of [ada, tunde]) await putTutor(stack, t.user.id, { ...t.demo.profile, displayName: t.user.name });
  });
  return { tutors: { ada: ada.user, tunde: tunde.user }, students: { bola: bola.user, chidi: chidi.user } };
};

const webConfig = async (stack: BrowserStack): Promise<{ authority: string; clientId: string }> => {
  const res = await fetch(`${stack.webUrl}/config.json`);
  if (!res.ok) throw new Error(`GET ${stack.webUrl}/config.json: ${res.status}`);
  return (await res.json()) as { authority: string; clientId: string };
};

/**
 * A browser context signed in as `userId`: the sign-in oidc-client-ts keeps in localStorage
 * after the code flow (the ID token, its claims, its expiry), written before the app's first
 * script runs. The token is one the local provider would issue (the stack's key and issuer).
 * The journeys that are about signing in use the provider's page instead (signInThroughPage).
 */
export const contextAs = async (browser: Browser, stack: BrowserStack, userId: string): Promise<BrowserContext> => {
  const [config, idToken] = await Promise.all([webConfig(stack), stack.token(userId)]);
  const claims = decodeJwt(idToken);
  const stored = JSON.stringify({ id_token: idToken, access_token: idToken, token_type: 'Bearer', scope: 'openid email profile', profile: claims, expires_at: claims.exp });
  const context = await browser.newContext({ baseURL: stack.webUrl, timezoneId: VIEWER_ZONE, locale: 'en-GB' });
  // A script of its own (this file is compiled without the DOM's types); on the app's origin only.
  const origin = JSON.stringify(new URL(stack.webUrl).origin);
  const key = JSON.stringify(`oidc.user:${config.authority}:${config.clientId}`);
  await context.addInitScript({ content: `if (location.origin === ${origin}) localStorage.setItem(${key}, ${JSON.stringify(stored)});` });
  return context;
};

/** A page of its own context, signed in as `userId`. */
export const pageAs = async (browser: Browser, stack: BrowserStack, userId: string): Promise<Page> => (await contextAs(browser, stack, userId)).newPage();

/** "Sign in" in the app's header, then the demo user's button on the local provider's page; back in the app, signed in. */
export const signInThroughPage = async (page: Page, displayName: string) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: displayName }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
};

export interface Booked {
  sessionId: string;
  /** The start the student picked (ISO). */
  start: string;
}

/**
 * On the tutor's page: picks the first free time on the `day`th day's tab (0: the first, default 1),
 * fills the booking dialog and sends it with its mode's button ("Request session" or "Book
 * and pay"). A request lands on the session page; an instant booking on Paystack's checkout.
 */
export const bookOnTutorPage = async (page: Page, tutorId: string, b: { title: string; mode: 'REQUEST' | 'INSTANT'; day?: number; durationLabel?: string }) => {
  await page.goto(`/mentorship/mentors/${tutorId}`);
  await page
    .getByRole('tablist', { name: 'Days' })
    .getByRole('tab')
    .nth(b.day ?? 1)
    .click();
  await page.getByRole('tabpanel').getByRole('button').first().click();
  const dialog = page.getByRole('dialog', { name: /^Book / });
  if (b.durationLabel) await dialog.getByLabel('Duration').selectOption({ label: b.durationLabel });
  await dialog.getByRole('textbox', { name: 'Title' }).fill(b.title);
  await dialog.getByRole('radio', { name: b.mode === 'REQUEST' ? /^Request/ : /^Instant/ }).check();
  await expect(dialog.getByText(/^Price:/)).toBeVisible();
  await dialog.getByRole('button', { name: b.mode === 'REQUEST' ? 'Request session' : 'Book and pay' }).click();
};

/** On the Paystack emulator's checkout page: "Pay"; Paystack sends the browser back to the session page. */
export const payOnCheckout = async (page: Page) => {
  await expect(page.getByRole('heading', { name: /^Pay / })).toBeVisible();
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await page.waitForURL(/\/mentorship\/session\/[0-9A-Z]{26}\?/);
};

/** The session id in the page's URL (`/mentorship/session/{id}`). */
export const sessionIdOf = (page: Page): string => {
  const m = /\/mentorship\/session\/([0-9A-Z]{26})/.exec(page.url());
  if (!m) throw new Error(`Not on a session page: ${page.url()}`);
  return m[1]!;
};
