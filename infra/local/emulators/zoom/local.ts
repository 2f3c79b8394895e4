/** The Zoom emulator as `npm start` runs it: the local app's credentials, host pool and webhook secret. */
import { startZoomEmulator, type ZoomEmulator } from './emulator';

/** The local stack's Zoom app (not secrets: they only open the emulator). */
export const LOCAL_ZOOM_CREDENTIALS = { accountId: 'local-account', clientId: 'local-client-id', clientSecret: 'local-client-secret' } as const;

/**
 * The local stack's pool of host users (ZOOM_HOST_USERS unless set): licensed users of the
 * emulated account. Enough that the end-to-end tests' overlapping sessions all get a host.
 */
export const LOCAL_ZOOM_HOST_USERS = ['host1', 'host2', 'host3', 'host4', 'host5', 'host6'].map((h) => `${h}@zoom.mentorship.localhost`);

/** The local stack's webhook Secret Token, unless ZOOM_WEBHOOK_SECRET_TOKEN names another. Not a secret. */
export const LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN = 'zoom_webhook_local';

export interface LocalZoomOptions {
  /** Default 0 (a free port: nothing outside the stack needs to know it). */
  port?: number;
  host?: string;
  /** e.g. localFaults() of infra/local/stack/settings.ts: `zoom` makes every call fail. */
  faults?: ReadonlySet<string>;
  log?: ((line: string) => void) | false;
  /** Where the emulator delivers webhooks: the gateway's /webhooks/zoom. */
  webhookUrl?: string;
}

/**
 * For `npm start`: the Zoom emulator, unless real credentials are configured (ZOOM_ACCOUNT_ID,
 * ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET other than the local ones): then the handlers talk to
 * Zoom itself and this returns undefined. Otherwise it sets ZOOM_API_BASE_URL,
 * ZOOM_OAUTH_URL and the local credentials for the in-process handlers,
 * ZOOM_WEBHOOK_SECRET_TOKEN (default `zoom_webhook_local`), with which it signs its webhooks,
 * and ZOOM_HOST_USERS (default: the seeded LOCAL_ZOOM_HOST_USERS).
 */
export const startLocalZoom = async (opts: LocalZoomOptions = {}): Promise<ZoomEmulator | undefined> => {
  const { ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET } = process.env;
  if (ZOOM_ACCOUNT_ID && ZOOM_CLIENT_ID && ZOOM_CLIENT_SECRET && ZOOM_CLIENT_SECRET !== LOCAL_ZOOM_CREDENTIALS.clientSecret) return undefined;
  const webhookSecretToken = process.env.ZOOM_WEBHOOK_SECRET_TOKEN || LOCAL_ZOOM_WEBHOOK_SECRET_TOKEN;
  const emulator = await startZoomEmulator({
    ...LOCAL_ZOOM_CREDENTIALS,
    users: LOCAL_ZOOM_HOST_USERS.map((email) => ({ email })),
    webhookSecretToken,
    ...(opts.webhookUrl !== undefined ? { webhookUrl: opts.webhookUrl } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    log: opts.log ?? ((line) => process.stdout.write(`[zoom] ${line}\n`)),
  });
  Object.assign(process.env, {
    ZOOM_API_BASE_URL: emulator.url,
    ZOOM_OAUTH_URL: emulator.oauthUrl,
    ZOOM_ACCOUNT_ID: LOCAL_ZOOM_CREDENTIALS.accountId,
    ZOOM_CLIENT_ID: LOCAL_ZOOM_CREDENTIALS.clientId,
    ZOOM_CLIENT_SECRET: LOCAL_ZOOM_CREDENTIALS.clientSecret,
    ZOOM_WEBHOOK_SECRET_TOKEN: webhookSecretToken,
    ZOOM_HOST_USERS: process.env.ZOOM_HOST_USERS || LOCAL_ZOOM_HOST_USERS.join(','),
  });
  return emulator;
};
