import { describeError, apiErrorFrom } from './errors';
import { accountNumberFrom, inFlight, withdrawalAmountFrom } from './payout';

describe('The amount a tutor withdraws', () => {
  it('is read from major units into integer minor units exactly, without float drift', () => {
    // 0.1 + 0.2 and 1.005 * 100 are where floats drift: read as strings they are exact.
    expect(withdrawalAmountFrom('0.30', 'NGN')).toEqual({ ok: true, amount: 30 });
    expect(withdrawalAmountFrom('1.005', 'NGN')).toEqual({ ok: false, problem: 'Enter an amount like 1500 or 1500.50, with at most 2 decimals.' });
    expect(withdrawalAmountFrom('1,234.56', 'NGN')).toEqual({ ok: true, amount: 123_456 });
    expect(withdrawalAmountFrom('4.35', 'NGN')).toEqual({ ok: true, amount: 435 });
    expect(withdrawalAmountFrom(' 1000 ', 'NGN')).toEqual({ ok: true, amount: 100_000 });
    expect(withdrawalAmountFrom('19.9', 'NGN')).toEqual({ ok: true, amount: 1_990 });
  });

  it('refuses what is not an amount above zero, saying why', () => {
    expect(withdrawalAmountFrom('', 'NGN')).toEqual({ ok: false, problem: 'Enter the amount to withdraw.' });
    expect(withdrawalAmountFrom('0.00', 'NGN')).toEqual({ ok: false, problem: 'Enter an amount above zero.' });
    for (const bad of ['-5', 'abc', '1e3', '1.2.3', '₦100']) expect(withdrawalAmountFrom(bad, 'NGN').ok).toBe(false);
    expect(withdrawalAmountFrom('99999999999999999', 'NGN')).toEqual({ ok: false, problem: 'That amount is too large.' });
  });
});

describe('The payout account number', () => {
  it('is ten digits, spaces and dashes as people type them dropped', () => {
    expect(accountNumberFrom('0123456789')).toBe('0123456789');
    expect(accountNumberFrom('0123 456 789')).toBe('0123456789');
    expect(accountNumberFrom('012-345-6789')).toBe('0123456789');
    for (const bad of ['', '012345678', '01234567890', '01234S6789']) expect(accountNumberFrom(bad)).toBeNull();
  });
});

describe('Payout errors in words', () => {
  const said = (status: number, code: string) => describeError(apiErrorFrom(status, { error: { code, message: 'amount must be at least 100000 minor units' } }));

  it('says each stable code in the tutor’s words, without the server’s developer message', () => {
    expect(said(400, 'BELOW_MINIMUM')).toBe('That amount is below the minimum withdrawal. Please withdraw a larger amount.');
    expect(said(409, 'INSUFFICIENT_BALANCE')).toBe('That is more than your available balance. Please withdraw at most what is available.');
    expect(said(409, 'NO_PAYOUT_ACCOUNT')).toBe('Add a payout account first: withdrawals are paid into it.');
    expect(said(409, 'WITHDRAWAL_IN_FLIGHT')).toBe('A withdrawal is still on its way to your bank. Please try again once it has settled.');
    expect(said(422, 'ACCOUNT_NOT_RESOLVED')).toBe('The bank could not find that account. Please check the bank and the account number.');
  });
});

describe('A withdrawal in flight', () => {
  it('is one not settled yet: pending or processing', () => {
    expect(['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REVERSED'].filter((s) => inFlight(s as never))).toEqual(['PENDING', 'PROCESSING']);
  });
});
