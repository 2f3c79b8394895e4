/** The local stack's settings: its fixed local values, and its ports from options, then env, then defaults. */
import { createServer as createNetServer } from 'node:net';
import { DEFAULT_OIDC_PORT } from '../emulators/oidc/jwt';
import { DEFAULT_WEB_PORT, webOrigins } from '../emulators/oidc/provider';
import { freePort } from '../ports';
import type { LocalStackOptions } from './types';

export const DEFAULT_TABLE_NAME = 'mentorship-local';
/** The local stack's Paystack secret key: signs the emulator's webhooks. Not a secret. */
export const LOCAL_PAYSTACK_SECRET = 'sk_test_local';
/** The API's CORS origins unless ALLOWED_ORIGINS says otherwise: the web app's (on `webPort`) and the API's own default origin. */
export const defaultAllowedOrigins = (webPort: number): string => [...webOrigins(webPort), 'http://localhost:3000'].join(',');
/** Signs the local stack's unsubscribe links unless EMAIL_LINK_SECRET names another. Not a secret. */
export const LOCAL_EMAIL_LINK_SECRET = 'local-email-link-secret';

/** Faults to emulate, from LOCAL_FAULTS (comma-separated, e.g. `paystack-verify,zoom`). */
export const localFaults = (): Set<string> =>
  new Set(
    (process.env.LOCAL_FAULTS ?? '')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  );

export const envPort = (name: string): number | undefined => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return n;
};

/** Fails fast (before the seconds DynamoDB Local takes to boot) when the port is taken. */
const assertPortFree = (port: number, host: string, setting = 'PORT'): Promise<void> =>
  new Promise((resolve, reject) => {
    if (port === 0) return resolve();
    const probe = createNetServer();
    probe.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use: stop what runs there, or start with ${setting}=<another port>`) : e),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });

/**
 * The ports that must be known before anything starts, checked free where the stack will listen.
 * Each is fixed even when any is asked for (0): the emulators must know where webhooks go, the
 * issuer in every token names the provider's port, and the web app's origin is a CORS origin.
 */
export const choosePorts = async (opts: LocalStackOptions) => {
  const port = (opts.port ?? envPort('PORT') ?? 3000) || (await freePort());
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  await assertPortFree(port, host);
  const webPort = (opts.webPort ?? envPort('WEB_PORT') ?? DEFAULT_WEB_PORT) || (await freePort());
  if (opts.web) await assertPortFree(webPort, host);
  const oidcPort = (opts.oidcPort ?? envPort('OIDC_PORT') ?? DEFAULT_OIDC_PORT) || (await freePort());
  await assertPortFree(oidcPort, host, 'OIDC_PORT');
  return { port, host, webPort, oidcPort, dynamoPort: opts.dynamoPort ?? envPort('DYNAMODB_PORT') };
};
