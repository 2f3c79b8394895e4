/**
 * The banks a payout account can be at, as Paystack lists them, kept per container for a few
 * hours. Alone, so that the route bundles Paystack's client and nothing of the wallet.
 */
import { HOUR_MS, systemClock, type Clock } from '../domain/clock';
import { UpstreamError } from '../domain/errors';
import { paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { logger } from '../observability/logger';

export interface BankListDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'listBanks'>;
}

export const defaultBankListDeps: BankListDeps = { clock: systemClock, paystack: paystackClient };

/** A Paystack call a route needed failed (after the client's retries): 502, logged. */
export const paymentProviderDown = (e: unknown, what: string) => {
  logger.error(`Paystack ${what} failed`, { error: e as Error });
  return new UpstreamError('PAYMENT_PROVIDER_UNAVAILABLE', 'The payment provider is not answering; please try again shortly');
};

/**
 * Paystack's bank list changes a few times a year, and the form asks for it on every visit:
 * kept per container for six hours. A table item would share it between containers, at the
 * cost of a write path and a grant for a list any container fetches in one call.
 */
export const BANKS_TTL_MS = 6 * HOUR_MS;
const bankCache = new Map<string, { fetchedAt: number; items: { code: string; name: string }[] }>();

export const listBanks = async (currency: string, deps: BankListDeps = defaultBankListDeps) => {
  const now = deps.clock().getTime();
  const cached = bankCache.get(currency);
  if (cached && now - cached.fetchedAt < BANKS_TTL_MS) return { items: cached.items };
  let banks;
  try {
    banks = await deps.paystack.listBanks(currency);
  } catch (e) {
    if (cached) return { items: cached.items };
    throw paymentProviderDown(e, 'bank list');
  }
  const items = banks
    .filter((b) => b.active !== false)
    .map((b) => ({ code: b.code, name: b.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  bankCache.set(currency, { fetchedAt: now, items });
  return { items };
};

/** For tests: forget the cached lists. */
export const clearBankCache = () => bankCache.clear();
