/**
 * End to end over the local stack through the Paystack emulator: a tutor paid for a session
 * adds a payout account and withdraws; the stream consumer asks the emulator for the transfer,
 * the emulator delivers the signed transfer.success webhook, and the withdrawal is SUCCEEDED
 * with the pending debit settled. A transfer the bank fails gives the money back.
 */
import { randomInt } from 'node:crypto';
import { bookAndPay, useE2eUsers } from '../support/e2e';
import { slotIn, until, useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const u = useE2eUsers(stack, 'payouts');

const walletOf = async () => (await stack.api('GET', '/me/wallet', { as: u.ada })).body;
const withdrawalWhen = (id: string, status: string) =>
  until(async () => {
    const page = (await stack.api('GET', '/me/withdrawals', { as: u.ada })).body;
    return page.items.find((w: { withdrawalId: string; status: string }) => w.withdrawalId === id && w.status === status);
  }, 20_000);

describe('Withdrawing earnings', () => {
  it('pays a tutor out through Paystack, and gives the money back when the bank fails the transfer', async () => {
    await bookAndPay(stack, u.bola, { tutorId: u.ada, scheduledAt: slotIn(40, 11), durationMinutes: 60 }, { meeting: false });
    const accountNumber = `2${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
    const account = await stack.api('PUT', '/me/payout-account', { as: u.ada, body: { bankCode: '058', accountNumber } });
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ bankName: 'Guaranty Trust Bank', accountNumberLast4: accountNumber.slice(-4), accountName: expect.any(String) });

    const before = await walletOf();
    const made = await stack.api('POST', '/me/withdrawals', { as: u.ada, body: { amount: 100_000 } });
    expect(made.status).toBe(201);
    expect(made.body.status).toBe('PENDING');
    const paid = await withdrawalWhen(made.body.withdrawalId, 'SUCCEEDED');
    expect(paid.settledAt).toEqual(expect.any(String));
    const after = await walletOf();
    expect(after.available.amount).toBe(before.available.amount - 100_000);
    expect(after.pending.amount).toBe(before.pending.amount);
    expect(after.items).toContainEqual(expect.objectContaining({ kind: 'PAYOUT', withdrawalId: made.body.withdrawalId }));

    // The bank fails the next transfer to this account: the money comes back to the available balance.
    const control = await fetch(`${stack.paystackUrl}/_emulator/transfers/outcome`, { method: 'POST', body: JSON.stringify({ accountNumber, outcome: 'failed' }) });
    expect(control.status).toBe(200);
    const failing = await stack.api('POST', '/me/withdrawals', { as: u.ada, body: { amount: 100_000 } });
    expect(failing.status).toBe(201);
    const failed = await withdrawalWhen(failing.body.withdrawalId, 'FAILED');
    expect(failed.failureReason).toEqual(expect.any(String));
    expect((await walletOf()).available.amount).toBe(after.available.amount);
  });
});
