/** What the wallet page checks before sending: an account number, an amount to withdraw; and how a withdrawal's status reads. */
import { minorUnitsPer, toMinorUnits } from './money';
import type { WithdrawalStatus } from './types';

/** A NUBAN: the ten digits every Nigerian bank account number has. */
const NUBAN = /^\d{10}$/;

/** The account number as typed, spaces and dashes dropped, or null when it is not ten digits. */
export const accountNumberFrom = (typed: string): string | null => {
  const digits = typed.replace(/[\s-]/g, '');
  return NUBAN.test(digits) ? digits : null;
};

export type AmountCheck = { ok: true; amount: number } | { ok: false; problem: string };

/**
 * An amount typed in major units ("1,500.50") as integer minor units, by string arithmetic
 * (no float), or what is wrong with it in words.
 */
export const withdrawalAmountFrom = (typed: string, currency: string): AmountCheck => {
  if (typed.trim() === '') return { ok: false, problem: 'Enter the amount to withdraw.' };
  const amount = toMinorUnits(typed, currency);
  if (amount === null) {
    const decimals = Math.log10(minorUnitsPer(currency));
    return { ok: false, problem: decimals > 0 ? `Enter an amount like 1500 or 1500.50, with at most ${decimals} decimals.` : 'Enter a whole amount like 1500.' };
  }
  if (!Number.isSafeInteger(amount)) return { ok: false, problem: 'That amount is too large.' };
  if (amount === 0) return { ok: false, problem: 'Enter an amount above zero.' };
  return { ok: true, amount };
};

export const WITHDRAWAL_STATUS: Record<WithdrawalStatus, { label: string; tone: 'good' | 'warn' | 'bad' | 'info' }> = {
  PENDING: { label: 'Pending', tone: 'warn' },
  PROCESSING: { label: 'Processing', tone: 'info' },
  SUCCEEDED: { label: 'Paid out', tone: 'good' },
  FAILED: { label: 'Failed', tone: 'bad' },
  REVERSED: { label: 'Reversed', tone: 'bad' },
};

/** Not settled yet: the money has left the available balance and its outcome is awaited. */
export const inFlight = (status: WithdrawalStatus): boolean => status === 'PENDING' || status === 'PROCESSING';
