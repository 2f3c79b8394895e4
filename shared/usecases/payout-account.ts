/**
 * Changing the tutor's payout account: the account's name resolved with Paystack and a
 * transfer recipient made for it (reading it, and the withdrawals to it: ./payouts.ts).
 */
import { systemClock, type Clock } from '../domain/clock';
import { CodedError } from '../domain/errors';
import { last4, type PayoutAccount } from '../domain/withdrawal';
import { getWalletState, putPayoutAccount, withdrawalInFlightError } from '../data/withdrawals';
import type { Caller } from '../domain/caller';
import { accountInboxWrites } from './notify';
import { isPaystackError, paystack as paystackClient, type PaystackClient } from '../integrations/paystack';
import { logger } from '../observability/logger';
import { paymentProviderDown } from './banks';
import { presentAccount } from './payouts';

export interface PayoutAccountDeps {
  clock: Clock;
  paystack: Pick<PaystackClient, 'resolveAccount' | 'createRecipient'>;
}

export const defaultPayoutAccountDeps: PayoutAccountDeps = { clock: systemClock, paystack: paystackClient };

/**
 * Sets where withdrawals go: the account's name resolved with Paystack, a transfer recipient
 * made for it, and the recipient stored on the wallet (with the tutor's notification) only if
 * no withdrawal is in flight. The in-flight check before calling Paystack only saves the
 * calls; the write's own condition is what decides.
 */
export const putMyPayoutAccount = async (caller: Caller, body: { bankCode: string; accountNumber: string }, deps: PayoutAccountDeps = defaultPayoutAccountDeps) => {
  if ((await getWalletState(caller.userId)).inFlight > 0) throw withdrawalInFlightError();
  let accountName: string;
  try {
    ({ accountName } = await deps.paystack.resolveAccount({ account_number: body.accountNumber, bank_code: body.bankCode }));
  } catch (e) {
    if (isPaystackError(e, 'REJECTED') || isPaystackError(e, 'NOT_FOUND')) {
      throw new CodedError(422, 'ACCOUNT_NOT_RESOLVED', 'The bank could not confirm this account number: check the bank and the number');
    }
    throw paymentProviderDown(e, 'account resolve');
  }
  let recipient;
  try {
    recipient = await deps.paystack.createRecipient({ type: 'nuban', name: accountName, account_number: body.accountNumber, bank_code: body.bankCode, currency: 'NGN' });
  } catch (e) {
    if (isPaystackError(e, 'REJECTED')) throw new CodedError(422, 'ACCOUNT_NOT_RESOLVED', `Paystack refused this account: ${e.message}`);
    throw paymentProviderDown(e, 'transfer recipient');
  }
  const at = deps.clock().toISOString();
  const account: PayoutAccount = {
    bankCode: body.bankCode,
    bankName: recipient.details.bank_name,
    accountNumberLast4: last4(body.accountNumber),
    accountName,
    currency: 'NGN',
    recipientCode: recipient.recipient_code,
    updatedAt: at,
  };
  const notice = accountInboxWrites(
    caller.userId,
    'PAYOUT_ACCOUNT_CHANGED',
    `${at}#${account.recipientCode}`,
    { bankName: account.bankName, accountNumberLast4: account.accountNumberLast4 },
    deps.clock,
  );
  await putPayoutAccount(caller.userId, account, notice);
  logger.info('Payout account changed', { tutorId: caller.userId, bankCode: account.bankCode });
  return presentAccount(account);
};
