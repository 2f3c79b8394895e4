/**
 * The Paystack emulator for handler tests: the handlers' real Paystack client talks to it
 * over loopback (PAYSTACK_BASE_URL). Webhooks are not delivered here: tests sign bodies with
 * the same key and call the webhook handler themselves, which lets them send duplicates,
 * forgeries and races at will.
 */
import { startPaystackEmulator, type PaystackEmulator } from '../../infra/local/emulators/paystack/emulator';
import { signWebhook } from '../../shared/integrations/paystack';

export const TEST_PAYSTACK_SECRET = 'sk_test_local';

export const usePaystackEmulator = (faults = new Set<string>()) => {
  const ref = { emulator: undefined as unknown as PaystackEmulator, faults };
  beforeAll(async () => {
    ref.emulator = await startPaystackEmulator({ secretKey: TEST_PAYSTACK_SECRET, faults, log: false, retryDelaysMs: [] });
    Object.assign(process.env, { PAYSTACK_BASE_URL: ref.emulator.url, PAYSTACK_SECRET_KEY: TEST_PAYSTACK_SECRET });
  });
  afterAll(async () => {
    await ref.emulator?.stop();
  });
  return ref;
};

/** A webhook body and its signature, as Paystack would send them. */
export const signedWebhook = (event: unknown, secret = TEST_PAYSTACK_SECRET) => {
  const body = JSON.stringify(event);
  return { body, signature: signWebhook(body, secret) };
};
