/**
 * `npm run screenshots`: PNGs of the web client's main screens in docs/screenshots/, as the
 * README shows them. Boots a local stack of its own (`npm start`'s code, free ports, a fresh
 * data folder), gives the demo users sessions in every state through the API (a request
 * awaiting approval, one approved and awaiting payment, one rejected, a paid one upcoming, a
 * completed one; a tutor's payout account and withdrawal), then signs in as them through the real sign-in page in Debian's Chromium
 * (scripts/chromium.ts) and photographs each screen at desktop width, and at 390 px where
 * the layout changes. The stack is stopped and its data folder removed at the end.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort } from '../infra/local/ports';
import { book, bookAndPay, runTimelineUntil } from '../test/support/e2e';
import { bootLocalStack, slotIn, type OwnStack } from '../test/support/local-stack';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';

const OUT = join(process.cwd(), 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

export interface Scenes {
  awaiting: string;
  readyForPayment: string;
  rejected: string;
  upcoming: string;
  completed: string;
}

interface Created {
  session: { id: string };
}

const ok = async (what: string, res: Promise<{ status: number; body: unknown }>): Promise<unknown> => {
  const { status, body } = await res;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
};

/** Bola's sessions in every state the student's tabs show, with Ada and Tunde (the notifications follow from them). */
export const makeScenes = async (stack: OwnStack): Promise<Scenes> => {
  const request = async (days: number, title: string) =>
    ((await ok(`book ${title}`, book(stack, 'student-bola', { tutorId: 'tutor-ada', scheduledAt: slotIn(days, 10), bookingMode: 'REQUEST', title }))) as Created).session.id;
  const awaiting = await request(3, 'System design review');
  const readyForPayment = await request(4, 'TypeScript generics');
  await ok('approve', stack.api('POST', `/sessions/${readyForPayment}/approve`, { as: 'tutor-ada' }));
  const rejected = await request(5, 'Career chat');
  await ok('reject', stack.api('POST', `/sessions/${rejected}/reject`, { as: 'tutor-ada', body: { reason: 'I am travelling that week; please pick the week after.' } }));
  // A second student's request, so the tutor's Approvals tab has more than one.
  await ok('book as chidi', book(stack, 'student-chidi', { tutorId: 'tutor-ada', scheduledAt: slotIn(3, 14), bookingMode: 'REQUEST', title: 'Mock interview' }));
  const paid = async (days: number, hour: number, title: string) =>
    ((await bookAndPay(stack, 'student-bola', { tutorId: 'tutor-tunde', scheduledAt: slotIn(days, hour), title })) as Created).session.id;
  const upcoming = await paid(2, 9, 'Statistics for A/B tests');
  const completed = await paid(1, 16, 'Python interview practice');
  await runTimelineUntil(stack, completed, 'student-bola', (s: { status: string }) => s.status === 'COMPLETED');
  // Tunde's wallet: a payout account and a withdrawal of part of his earnings.
  await ok('payout account', stack.api('PUT', '/me/payout-account', { as: 'tutor-tunde', body: { bankCode: '058', accountNumber: '0123456789' } }));
  await ok('withdraw', stack.api('POST', '/me/withdrawals', { as: 'tutor-tunde', body: { amount: 400_000 } }));
  return { awaiting, readyForPayment, rejected, upcoming, completed };
};

/** Signs in through the app's "Sign in" and the local provider's page, as the demo user with this display name. */
export const signIn = async (page: Page, webUrl: string, displayName: string) => {
  await page.goto(webUrl);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: displayName }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
};

interface Shot {
  name: string;
  as: string;
  /** Also at 390 px wide. */
  phone?: boolean;
  show: (page: Page, webUrl: string, scenes: Scenes) => Promise<void>;
}

/** A tab of the student's My sessions, once its list has loaded. */
const tab = (name: string) => async (page: Page, webUrl: string) => {
  await page.goto(`${webUrl}/mentorship/sessions`);
  await page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();
  await page.getByRole('tabpanel').getByRole('article').first().waitFor();
};

export const SHOTS: readonly Shot[] = [
  { name: 'student-awaiting-approval', as: 'Bola Adeyemi', phone: true, show: tab('Awaiting approval') },
  { name: 'student-ready-for-payment', as: 'Bola Adeyemi', show: tab('Ready for payment') },
  { name: 'student-upcoming', as: 'Bola Adeyemi', show: tab('Upcoming') },
  { name: 'student-history', as: 'Bola Adeyemi', show: tab('History') },
  { name: 'student-rejected', as: 'Bola Adeyemi', show: tab('Rejected') },
  {
    name: 'tutor-dashboard',
    as: 'Ada Okafor',
    phone: true,
    show: async (page, webUrl) => {
      await page.goto(`${webUrl}/tutor/mentorship?tab=approvals`);
      await page.getByRole('button', { name: 'Approve' }).first().waitFor();
    },
  },
  {
    name: 'session-page',
    as: 'Bola Adeyemi',
    phone: true,
    show: async (page, webUrl, scenes) => {
      await page.goto(`${webUrl}/mentorship/session/${scenes.upcoming}`);
      await page.getByRole('region', { name: 'Meeting' }).getByRole('button', { name: 'Join meeting' }).waitFor();
    },
  },
  {
    name: 'booking-dialog',
    as: 'Bola Adeyemi',
    phone: true,
    show: async (page, webUrl) => {
      await page.goto(`${webUrl}/mentorship/mentors/tutor-ada`);
      await page.getByRole('tablist', { name: 'Days' }).getByRole('tab').nth(5).click();
      await page
        .getByRole('tabpanel')
        .getByRole('button', { name: /10:00$/ })
        .click();
      await page
        .getByRole('dialog', { name: /^Book / })
        .getByRole('textbox', { name: 'Title' })
        .fill('Scaling a booking system');
    },
  },
  {
    name: 'tutor-wallet',
    as: 'Tunde Bakare',
    phone: true,
    show: async (page, webUrl) => {
      await page.goto(`${webUrl}/tutor/wallet`);
      await page.getByRole('region', { name: 'Withdrawals' }).getByRole('listitem').first().waitFor();
      await page.getByRole('table').waitFor();
    },
  },
  {
    name: 'notifications',
    as: 'Bola Adeyemi',
    show: async (page, webUrl) => {
      await page.goto(`${webUrl}/mentorship/sessions`);
      await page.getByRole('button', { name: /^Notifications, [1-9]/ }).click();
      await page.getByRole('region', { name: 'Notifications' }).getByRole('listitem').first().waitFor();
    },
  },
];

const photograph = async (browser: Browser, webUrl: string, scenes: Scenes, shot: Shot) => {
  for (const [suffix, viewport] of shot.phone
    ? ([
        ['', DESKTOP],
        ['-390', PHONE],
      ] as const)
    : ([['', DESKTOP]] as const)) {
    const context = await browser.newContext({ viewport, timezoneId: 'Africa/Lagos', locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await signIn(page, webUrl, shot.as);
      await shot.show(page, webUrl, scenes);
      const file = join(OUT, `${shot.name}${suffix}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`screenshots: ${file}`);
    } finally {
      await context.close();
    }
  }
};

const main = async () => {
  const executablePath = ensureChromium();
  mkdirSync(OUT, { recursive: true });
  const webPort = await freePort();
  console.log('screenshots: starting a local stack');
  const stack = await bootLocalStack({ LOCAL_RETRY_TIME_SCALE: '1000', WEB_PORT: String(webPort) });
  let browser: Browser | undefined;
  try {
    const webUrl = `http://localhost:${webPort}`;
    const scenes = await makeScenes(stack);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    for (const shot of SHOTS) await photograph(browser, webUrl, scenes, shot);
  } finally {
    await browser?.close();
    await stack.stop();
  }
};

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
