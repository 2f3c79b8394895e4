/**
 * The parts of the local stack that need more than a start call: each started as `npm start`
 * wires it. Imported once the local AWS environment is set (they load handlers and SDK clients).
 */
import { DEMO_USERS } from '../demo-data';
import type { JWK } from 'jose';
import { freePort } from '../ports';
import { LOCAL_EMAIL_LINK_SECRET, LOCAL_PAYSTACK_SECRET, localFaults } from './settings';
import type { FunctionWrapper, LocalStackOptions } from './types';

/**
 * The Paystack emulator, unless real keys are configured (PAYSTACK_SECRET_KEY other than the
 * local one, with PAYSTACK_BASE_URL): then the handlers talk to Paystack itself.
 */
export const startLocalPaystack = async (port: number, webhookUrl: string) => {
  const key = process.env.PAYSTACK_SECRET_KEY;
  if (key && key !== LOCAL_PAYSTACK_SECRET && process.env.PAYSTACK_BASE_URL) return undefined;
  const { startPaystackEmulator } = await import('../emulators/paystack/emulator');
  // Its checkout URLs carry the port, so "any port" must be chosen before it starts.
  if (port === 0) port = await freePort();
  const emulator = await startPaystackEmulator({
    port,
    secretKey: LOCAL_PAYSTACK_SECRET,
    webhookUrl,
    publicUrl: `http://localhost:${port}`,
    faults: localFaults(),
    log: (line) => process.stdout.write(`[paystack] ${line}\n`),
  });
  Object.assign(process.env, { PAYSTACK_BASE_URL: emulator.url, PAYSTACK_SECRET_KEY: LOCAL_PAYSTACK_SECRET });
  return emulator;
};

/**
 * The local SES: the email consumer's SDK client sends there (AWS_ENDPOINT_URL_SESV2), and its
 * mailbox simulator's bounces and complaints reach the SES events use case as SNS would.
 */
export const startLocalMail = async (port: number, host: string, opts: Pick<LocalStackOptions, 'log'>) => {
  const { startMailCatcher } = await import('../emulators/mail/catcher');
  const { sesEvent } = await import('../../../shared/schemas/email');
  const { handleSesEvent } = await import('../../../shared/usecases/preferences');
  const mail = await startMailCatcher({
    port,
    host,
    onEvent: async (event) => {
      await handleSesEvent(sesEvent.parse(event));
    },
    ...(opts.log === false ? { log: false as const } : {}),
  });
  process.env.AWS_ENDPOINT_URL_SESV2 = mail.url;
  process.env.EMAIL_LINK_SECRET ||= LOCAL_EMAIL_LINK_SECRET;
  return mail;
};

/** The table stream's consumers, each wrapped when the stack's functions are. */
export const startLocalStreams = async (endpoint: string, tableName: string, opts: Pick<LocalStackOptions, 'streamRecords'> & { wrap: FunctionWrapper | undefined }) => {
  const { startTableStreams, streamHandlers } = await import('../aws/streams/poller');
  const { ddb } = await import('../../../shared/data/client');
  const { wrap } = opts;
  const consumers = wrap ? Object.fromEntries(Object.entries(await streamHandlers()).map(([name, fn]) => [name, wrap('stream', name, fn)])) : undefined;
  return startTableStreams({
    endpoint,
    tableName,
    wakeOnWritesOf: ddb,
    ...(consumers ? { handlers: consumers } : {}),
    ...(opts.streamRecords ? { where: opts.streamRecords } : {}),
  });
};

/** The sign-in the web app uses: users from the table, sign-up through the same use case as Cognito's post-confirmation trigger. */
export const startLocalSignIn = async (opts: { port: number; host: string; signingKey: JWK; webOrigins: string[] }) => {
  const { startLocalOidc } = await import('../emulators/oidc/provider');
  const { getUser } = await import('../../../shared/data/users');
  const { signUp } = await import('../../../shared/usecases/identity');
  return startLocalOidc({ ...opts, signInUsers: DEMO_USERS, users: { find: getUser, signUp: (input) => signUp(input) } });
};

/**
 * The web client (web/server.ts: Vite's dev server), its /config.json pointing at this stack:
 * the API, the WebSocket API and the local OpenID Connect provider (OIDC_PORT).
 */
export const startWeb = async (port: number, host: string, config: { apiUrl: string; wsUrl: string; authority: string; clientId: string }) => {
  const { startWebServer } = await import('../../../web/server');
  return startWebServer({ port, host, config });
};
