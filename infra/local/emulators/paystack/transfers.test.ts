import { createTransfers } from './transfers';

/** The Transfers API alone, its timers run by hand: what a test sees is what the stack's emulator does. */
const transfersWithManualTimers = () => {
  const timers: (() => void)[] = [];
  const delivered: { event: string; data: Record<string, unknown> }[] = [];
  const transfers = createTransfers({
    faults: new Set(),
    later: (_ms, fn) => void timers.push(fn),
    deliver: (event) => void delivered.push(event),
    log: () => undefined,
    delayMs: 0,
  });
  const runTimers = () => timers.splice(0).forEach((fn) => fn());
  return { transfers, delivered, runTimers };
};

const recipientFor = async (t: ReturnType<typeof createTransfers>, accountNumber: string) => {
  const answer = (await t.api('POST', '/transferrecipient', new URLSearchParams(), () =>
    Promise.resolve({ type: 'nuban', name: 'Ada', account_number: accountNumber, bank_code: '058', currency: 'NGN' }),
  )) as { data: { recipient_code: string } };
  return answer.data.recipient_code;
};

const transfer = (t: ReturnType<typeof createTransfers>, recipient: string, reference: string) =>
  t.api('POST', '/transfer', new URLSearchParams(), () => Promise.resolve({ source: 'balance', amount: 150_000, recipient, reference, reason: 'Payout' }));

describe('The emulated Transfers API', () => {
  it('holds an account’s transfers pending while its outcome is `held`, and ends them with the final outcome set next', async () => {
    const { transfers, delivered, runTimers } = transfersWithManualTimers();
    const recipient = await recipientFor(transfers, '2123456789');
    transfers.setOutcome({ accountNumber: '2123456789', outcome: 'held' });
    await transfer(transfers, recipient, 'wdr-held-0000000001');
    runTimers();
    expect(transfers.transfers.get('wdr-held-0000000001')!.status).toBe('pending');
    expect(delivered).toEqual([]);

    transfers.setOutcome({ accountNumber: '2123456789', outcome: 'success' });
    runTimers();
    expect(transfers.transfers.get('wdr-held-0000000001')!.status).toBe('success');
    expect(delivered.map((e) => e.event)).toEqual(['transfer.success']);
  });

  it('ends a transfer by itself when the account’s outcome is not held', async () => {
    const { transfers, delivered, runTimers } = transfersWithManualTimers();
    const recipient = await recipientFor(transfers, '2987654321');
    transfers.setOutcome({ accountNumber: '2987654321', outcome: 'failed' });
    await transfer(transfers, recipient, 'wdr-failed-000000001');
    runTimers();
    expect(transfers.transfers.get('wdr-failed-000000001')!.status).toBe('failed');
    expect(delivered.map((e) => e.event)).toEqual(['transfer.failed']);
  });
});
