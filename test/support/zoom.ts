/**
 * The Zoom emulator for handler and workflow tests: the handlers' real Zoom client (and the
 * createMeeting step's) talks to it over loopback (ZOOM_API_BASE_URL, ZOOM_OAUTH_URL). The
 * default client is rebuilt for the file without real backoff waits, so a faulted emulator
 * fails fast. `faults` may be changed while the tests run (add `zoom` to fail every call).
 */
import { startZoomEmulator, type ZoomEmulator } from '../../infra/local/emulators/zoom/emulator';
import { resetZoomClient } from '../../shared/integrations/zoom';

export const TEST_ZOOM_CREDENTIALS = { accountId: 'test-account', clientId: 'test-client-id', clientSecret: 'test-client-secret' } as const;

export const useZoomEmulator = (faults = new Set<string>()) => {
  const ref = { emulator: undefined as unknown as ZoomEmulator, faults };
  beforeAll(async () => {
    ref.emulator = await startZoomEmulator({ ...TEST_ZOOM_CREDENTIALS, faults, log: false });
    Object.assign(process.env, {
      ZOOM_API_BASE_URL: ref.emulator.url,
      ZOOM_OAUTH_URL: ref.emulator.oauthUrl,
      ZOOM_ACCOUNT_ID: TEST_ZOOM_CREDENTIALS.accountId,
      ZOOM_CLIENT_ID: TEST_ZOOM_CREDENTIALS.clientId,
      ZOOM_CLIENT_SECRET: TEST_ZOOM_CREDENTIALS.clientSecret,
    });
    resetZoomClient({ sleep: async () => undefined, onRetry: () => {} });
  });
  afterAll(async () => {
    resetZoomClient();
    await ref.emulator?.stop();
  });
  return ref;
};
