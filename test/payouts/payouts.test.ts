/**
 * Payouts against DynamoDB Local and the Paystack emulator: the payout account, withdrawals
 * and their races, the transfer asked for by the stream consumer (run here on the records the
 * stream would carry, as often as a retry or a restart would), and the transfer webhooks
 * (signature, Verify Transfer before trust, duplicates). Money must move exactly once.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBRecord } from 'aws-lambda';
import { handler as listBanks } from '../../functions/http/listBanks';
import { handler as getMyPayoutAccount } from '../../functions/http/getMyPayoutAccount';
import { handler as putMyPayoutAccount } from '../../functions/http/putMyPayoutAccount';
import { handler as createWithdrawalHandler } from '../../functions/http/createWithdrawal';
import { handler as listMyWithdrawals } from '../../functions/http/listMyWithdrawals';
import { handler as listAdminWithdrawals } from '../../functions/http/listAdminWithdrawals';
import { handler as retryWithdrawal } from '../../functions/http/retryWithdrawal';
import { handler as getMyWallet } from '../../functions/http/getMyWallet';
import { handler as paystackWebhook } from '../../functions/http/paystackWebhook';
import { handler as requestRefunds } from '../../functions/streams/requestRefunds';
import { TRANSFER_FAULTS } from '../../infra/local/emulators/paystack/transfers';
import { PAYSTACK_FAULTS } from '../../infra/local/emulators/paystack/emulator';
import { config } from '../../shared/config';
import { ddb } from '../../shared/data/client';
import { walletKey, withdrawalKey, withdrawalWatchKey } from '../../shared/data/keys';
import { listNotifications } from '../../shared/data/notifications';
import { paymentPut } from '../../shared/data/payments';
import { settleRefundedPart } from '../../shared/data/wallet';
import { getWalletState, getWithdrawal } from '../../shared/data/withdrawals';
import { transactWrite } from '../../shared/data/transact';
import type { Payment } from '../../shared/domain/payment';
import { paystack as paystackClient, type PaystackClient } from '../../shared/integrations/paystack';
import { systemClock } from '../../shared/domain/clock';
import { createWithdrawal } from '../../shared/usecases/payouts';
import { checkWithdrawalAge, initiateTransfer } from '../../shared/usecases/transfers';
import { call, caller, type TestCaller } from '../support/http';
import { useTestTable } from '../support/table';
import { signedWebhook, usePaystackEmulator } from '../support/paystack';

useTestTable();
const paystack = usePaystackEmulator();

const context = { functionName: 'test', awsRequestId: 'test', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

let n = 0;
/** A tutor of each test's own, with `balance` kobo available and (unless `account` is false) a payout account. */
const tutor = async (balance: number, account: string | false = `01${String(10_000_000 + (n + 1) * 7).slice(-8)}`) => {
  n += 1;
  const id = `payout-tutor-${n}`;
  const as = caller(id, 'tutor');
  if (balance > 0) {
    await ddb.send(
      new UpdateCommand({
        TableName: config().tableName,
        Key: walletKey(id),
        UpdateExpression: 'ADD balance :b, tutorEarnings :b SET #type = :t, currency = :c',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':b': balance, ':t': 'Wallet', ':c': 'NGN' },
      }),
    );
  }
  if (account) expect((await setAccount(as, account)).status).toBe(200);
  return { id, as, account: account || '' };
};

const setAccount = (as: TestCaller, accountNumber: string, bankCode = '058') => call(putMyPayoutAccount, 'PUT /me/payout-account', { as, body: { bankCode, accountNumber } });
const withdrawOf = (as: TestCaller, amount: number) => call(createWithdrawalHandler, 'POST /me/withdrawals', { as, body: { amount } });
const wallet = async (as: TestCaller) => (await call(getMyWallet, 'GET /me/wallet', { as })).body;

/** The stream record DynamoDB writes for an item (INSERT with its new image, or a REMOVE's keys). */
const streamRecord = async (key: { pk: string; sk: string }, eventName: 'INSERT' | 'REMOVE' = 'INSERT'): Promise<DynamoDBRecord> => {
  const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: key, ConsistentRead: true }));
  return {
    eventID: `${key.pk}-${eventName}`,
    eventName,
    dynamodb: { Keys: marshall(key) as never, ...(eventName === 'INSERT' ? { NewImage: marshall(Item!, { removeUndefinedValues: true }) as never } : {}), SequenceNumber: '1' },
  };
};
/** Runs the consumer on a record; answers the batch item failures (a failed record is retried by Lambda). */
const consume = async (record: DynamoDBRecord) => (await requestRefunds({ Records: [record] }, context)).batchItemFailures;

const webhook = (event: unknown, secret?: string) => {
  const { body, signature } = signedWebhook(event, secret);
  return call(paystackWebhook, 'POST /webhooks/paystack', { rawBody: body, headers: { 'content-type': 'application/json', 'x-paystack-signature': signature } });
};
/** The transfer's latest webhook as the emulator sent it. */
const lastTransferEvent = (reference: string) => paystack.emulator.transfers.transfers.get(reference)!.events.at(-1)!;

/** A withdrawal made, its transfer asked for by the consumer, and Paystack done with it. */
const withdrawnAndSent = async (as: TestCaller, amount: number) => {
  const made = await withdrawOf(as, amount);
  expect(made.status).toBe(201);
  const w = made.body as { withdrawalId: string; reference: string };
  expect(await consume(await streamRecord(withdrawalKey(w.withdrawalId)))).toEqual([]);
  await paystack.emulator.idle();
  return w;
};

const events = async (userId: string) => (await listNotifications(userId, undefined, 50)).items.map((i) => i.event);

describe('The payout account', () => {
  it('lists Paystack’s banks', async () => {
    const res = await call(listBanks, 'GET /banks', { as: caller('anyone', 'tutor'), query: { currency: 'NGN' } });
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ code: '058', name: 'Guaranty Trust Bank' });
  });

  it('is resolved with Paystack, shown without the full number, stored as a recipient, and the tutor is told', async () => {
    const { id, as } = await tutor(0, false);
    expect(await call(getMyPayoutAccount, 'GET /me/payout-account', { as })).toMatchObject({ status: 404, body: { error: { code: 'PAYOUT_ACCOUNT_NOT_FOUND' } } });
    const put = await setAccount(as, '0123456789');
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      bankCode: '058',
      bankName: 'Guaranty Trust Bank',
      accountNumberLast4: '6789',
      accountName: 'EMULATED ACCOUNT 6789',
      currency: 'NGN',
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(put.body)).not.toContain('0123456789');
    expect((await call(getMyPayoutAccount, 'GET /me/payout-account', { as })).body).toEqual(put.body);
    const stored = await getWalletState(id);
    expect(stored.payoutAccount?.recipientCode).toMatch(/^RCP_/);
    expect(await events(id)).toEqual(['PAYOUT_ACCOUNT_CHANGED']);
  });

  it('is refused when the bank does not confirm the number (422 ACCOUNT_NOT_RESOLVED)', async () => {
    const { as } = await tutor(0, false);
    expect(await setAccount(as, '0001234567')).toMatchObject({ status: 422, body: { error: { code: 'ACCOUNT_NOT_RESOLVED' } } });
    expect(await setAccount(as, '12345')).toMatchObject({ status: 400 });
  });

  it('cannot change while a withdrawal is in flight (409 WITHDRAWAL_IN_FLIGHT), and can once it settled', async () => {
    const { as } = await tutor(500_000);
    const w = await withdrawnAndSent(as, 200_000);
    expect(await setAccount(as, '0987654321')).toMatchObject({ status: 409, body: { error: { code: 'WITHDRAWAL_IN_FLIGHT' } } });
    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('withdrawal-succeeded');
    expect((await setAccount(as, '0987654321')).status).toBe(200);
  });
});

describe('A withdrawal', () => {
  it('is refused under the minimum, without a payout account, and above the available balance', async () => {
    expect(await withdrawOf((await tutor(500_000)).as, 99_999)).toMatchObject({ status: 400, body: { error: { code: 'BELOW_MINIMUM' } } });
    expect(await withdrawOf((await tutor(500_000, false)).as, 100_000)).toMatchObject({ status: 409, body: { error: { code: 'NO_PAYOUT_ACCOUNT' } } });
    expect(await withdrawOf((await tutor(500_000)).as, 500_001)).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_BALANCE' } } });
  });

  it('debits the available balance into pending, with a unique reference, and is listed newest first', async () => {
    const { as } = await tutor(500_000);
    const first = await withdrawOf(as, 100_000);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'PENDING',
      amount: { amount: 100_000, currency: 'NGN' },
      bankName: 'Guaranty Trust Bank',
      reference: expect.stringMatching(/^wdr-[0-9a-z]{26}$/),
    });
    const second = await withdrawOf(as, 150_000);
    expect(second.body.reference).not.toBe(first.body.reference);
    expect(await wallet(as)).toMatchObject({ balance: { amount: 250_000 }, available: { amount: 250_000 }, pending: { amount: 250_000 } });
    const page1 = await call(listMyWithdrawals, 'GET /me/withdrawals', { as, query: { limit: '1' } });
    expect(page1.body.items.map((w: { withdrawalId: string }) => w.withdrawalId)).toEqual([second.body.withdrawalId]);
    const page2 = await call(listMyWithdrawals, 'GET /me/withdrawals', { as, query: { limit: '1', cursor: page1.body.nextCursor } });
    expect(page2.body.items.map((w: { withdrawalId: string }) => w.withdrawalId)).toEqual([first.body.withdrawalId]);
  });

  it('of the whole balance, ten at once: exactly one is accepted', async () => {
    const { as, id } = await tutor(300_000);
    const answers = await Promise.all(Array.from({ length: 10 }, () => withdrawOf(as, 300_000)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409).map((a) => a.body.error.code)).toEqual(Array(9).fill('INSUFFICIENT_BALANCE'));
    expect(await getWalletState(id)).toMatchObject({ balance: 0, pending: 300_000, inFlight: 1 });
  });

  it('racing a refund that takes the tutor’s share back: the available balance never goes below zero', async () => {
    for (let round = 0; round < 4; round += 1) {
      // A paid session's share (300,000 of 428,572 paid) credited, then refunded in full while the tutor withdraws all of it.
      const { as, id } = await tutor(300_000);
      const at = new Date().toISOString();
      const payment: Payment = {
        reference: `mtr-race-${id}`,
        sessionId: `race-session-${id}`,
        studentId: 'race-student',
        tutorId: id,
        amount: { amount: 428_572, currency: 'NGN' },
        status: 'PAID',
        authorizationUrl: 'http://localhost/checkout/x',
        accessCode: 'x',
        createdAt: at,
        updatedAt: at,
      };
      await transactWrite([paymentPut(payment)], () => new Error('exists'));
      const refund = async () => {
        for (let attempt = 0; attempt < 5; attempt += 1) {
          try {
            return await settleRefundedPart(payment, payment.amount.amount, new Date().toISOString());
          } catch (e) {
            // The wallet moved between its read and the write (the withdrawal): read again, as settleRefund does.
            if ((e as Error).name !== 'StaleSessionError') throw e;
          }
        }
        throw new Error('refund never settled');
      };
      const [withdrawal] = await Promise.all([withdrawOf(as, 300_000), refund()]);
      const state = await getWalletState(id);
      expect(state.balance).toBeGreaterThanOrEqual(0);
      const { Item } = await ddb.send(new GetCommand({ TableName: config().tableName, Key: walletKey(id), ConsistentRead: true }));
      // Whichever came first, the share is accounted for once: withdrawn (pending) and owed, or taken back.
      if (withdrawal.status === 201)
        expect({ balance: state.balance, pending: state.pending, shortfall: Item!.shortfall }).toEqual({ balance: 0, pending: 300_000, shortfall: 300_000 });
      else expect({ balance: state.balance, pending: state.pending, shortfall: Item!.shortfall ?? 0 }).toEqual({ balance: 0, pending: 0, shortfall: 0 });
    }
  });
});

describe('The transfer', () => {
  it('is asked for by the stream consumer with the withdrawal’s reference, then settled by a verified transfer.success: once', async () => {
    const { as, id } = await tutor(500_000);
    const w = await withdrawnAndSent(as, 200_000);
    const sent = paystack.emulator.transfers.transfers.get(w.reference)!;
    expect(sent).toMatchObject({ amount: 200_000, currency: 'NGN', status: 'success' });
    expect((await getWithdrawal(w.withdrawalId))!.status).toBe('PROCESSING');

    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('withdrawal-succeeded');
    const settled = await getWithdrawal(w.withdrawalId);
    expect(settled).toMatchObject({ status: 'SUCCEEDED', settledAt: expect.any(String), transferCode: sent.transferCode });
    const after = await wallet(as);
    expect(after).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 0 } });
    expect(after.items).toContainEqual(
      expect.objectContaining({ kind: 'PAYOUT', reference: w.reference, withdrawalId: w.withdrawalId, amount: { amount: -200_000, currency: 'NGN' } }),
    );

    // Redelivered: nothing moves again.
    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('duplicate');
    expect(await wallet(as)).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 0 } });
    expect((await wallet(as)).items.filter((e: { kind: string }) => e.kind === 'PAYOUT')).toHaveLength(1);
    expect(await events(id)).toEqual(['WITHDRAWAL_SUCCEEDED', 'PAYOUT_ACCOUNT_CHANGED']);
  });

  it('is not settled by a forged webhook, nor by a signed one Paystack’s Verify does not bear out', async () => {
    const { as } = await tutor(500_000);
    const made = await withdrawOf(as, 200_000);
    const { withdrawalId, reference } = made.body as { withdrawalId: string; reference: string };
    const claim = { event: 'transfer.success', data: { reference, amount: 200_000, currency: 'NGN', status: 'success' } };
    // Forged: signed with another key.
    expect((await webhook(claim, 'sk_test_not_ours')).status).toBe(401);
    // Signed, but Paystack never made the transfer (the consumer has not run): Verify says 404.
    expect((await webhook(claim)).body.outcome).toBe('unconfirmed');
    expect((await getWithdrawal(withdrawalId))!.status).toBe('PENDING');
    expect(await wallet(as)).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 200_000 } });
  });

  it.each([
    ['failed', TRANSFER_FAULTS.failed, 'FAILED', 'withdrawal-failed'],
    ['reversed', TRANSFER_FAULTS.reversed, 'REVERSED', 'withdrawal-reversed'],
  ] as const)('%s at Paystack gives the money back once, and tells the tutor why', async (_name, fault, status, outcome) => {
    const { as, id } = await tutor(500_000);
    paystack.faults.add(fault);
    let w;
    try {
      w = await withdrawnAndSent(as, 200_000);
    } finally {
      paystack.faults.delete(fault);
    }
    const event = lastTransferEvent(w.reference);
    const [first, second] = await Promise.all([webhook(event), webhook(event)]);
    expect([first.body.outcome, second.body.outcome].sort()).toEqual(['duplicate', outcome]);
    expect((await webhook(event)).body.outcome).toBe('duplicate');
    expect(await getWithdrawal(w.withdrawalId)).toMatchObject({ status, failureReason: expect.any(String) });
    expect(await wallet(as)).toMatchObject({ available: { amount: 500_000 }, pending: { amount: 0 } });
    expect(await getWalletState(id)).toMatchObject({ inFlight: 0 });
    const inbox = (await listNotifications(id, undefined, 10)).items;
    expect(inbox.filter((i) => i.event === 'WITHDRAWAL_FAILED')).toHaveLength(1);
    expect(inbox[0]!.body).toContain('back in your available balance');
  });

  it('paid and later reversed by Paystack gives the money back once', async () => {
    const { as } = await tutor(500_000);
    const w = await withdrawnAndSent(as, 200_000);
    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('withdrawal-succeeded');
    paystack.emulator.transfers.settle(w.reference, 'reversed');
    await paystack.emulator.idle();
    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('withdrawal-reversed');
    expect((await webhook(lastTransferEvent(w.reference))).body.outcome).toBe('duplicate');
    expect(await wallet(as)).toMatchObject({ available: { amount: 500_000 }, pending: { amount: 0 } });
    expect((await wallet(as)).items.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['PAYOUT', 'PAYOUT_REVERSAL']));
  });

  it('refused by Paystack for good (an invalid recipient) fails the withdrawal and gives the money back', async () => {
    const { as, account } = await tutor(500_000);
    await fetch(`${paystack.emulator.url}/_emulator/transfers/outcome`, { method: 'POST', body: JSON.stringify({ accountNumber: account, outcome: 'rejected' }) });
    const made = await withdrawOf(as, 200_000);
    expect(await consume(await streamRecord(withdrawalKey(made.body.withdrawalId)))).toEqual([]);
    expect(await getWithdrawal(made.body.withdrawalId)).toMatchObject({ status: 'FAILED', failureReason: expect.stringContaining('Recipient account is inactive') });
    expect(await wallet(as)).toMatchObject({ available: { amount: 500_000 }, pending: { amount: 0 } });
  });

  it('with no answer from Paystack is retried by the stream and stays PENDING, its money held', async () => {
    const { as } = await tutor(500_000);
    const made = await withdrawOf(as, 200_000);
    const record = await streamRecord(withdrawalKey(made.body.withdrawalId));
    paystack.faults.add(PAYSTACK_FAULTS.all);
    try {
      expect(await consume(record)).toEqual([{ itemIdentifier: '1' }]);
    } finally {
      paystack.faults.delete(PAYSTACK_FAULTS.all);
    }
    expect(await getWithdrawal(made.body.withdrawalId)).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('UNAVAILABLE') });
    expect(await wallet(as)).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 200_000 } });
    // The stream's retry of the same record goes through.
    expect(await consume(record)).toEqual([]);
    expect((await getWithdrawal(made.body.withdrawalId))!.status).toBe('PROCESSING');
  });

  it('survives a restart mid-way: the record run again finds the transfer made the first time, and none is made twice', async () => {
    const { as, account } = await tutor(500_000);
    const made = await withdrawOf(as, 200_000);
    const record = await streamRecord(withdrawalKey(made.body.withdrawalId));
    // The first run dies right after Paystack took the transfer, before the withdrawal was moved.
    const crashing: PaystackClient = {
      ...paystackClient,
      transfer: async (req) => {
        await paystackClient.transfer(req);
        throw new Error('the container was stopped');
      },
    };
    await expect(initiateTransfer(made.body.withdrawalId, { clock: systemClock, paystack: crashing })).rejects.toThrow('stopped');
    expect((await getWithdrawal(made.body.withdrawalId))!.status).toBe('PENDING');
    expect(await consume(record)).toEqual([]);
    expect(await consume(record)).toEqual([]);
    const toAccount = [...paystack.emulator.transfers.transfers.values()].filter((t) => t.recipient.accountNumber === account);
    expect(toAccount).toHaveLength(1);
    expect((await getWithdrawal(made.body.withdrawalId))!.status).toBe('PROCESSING');
    await paystack.emulator.idle();
    expect((await webhook(lastTransferEvent(made.body.reference))).body.outcome).toBe('withdrawal-succeeded');
    expect(await wallet(as)).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 0 } });
  });

  it('still unsettled when its day-old watch expires raises the alarm metric', async () => {
    const { as } = await tutor(500_000);
    const made = await withdrawOf(as, 200_000);
    expect(await streamRecord(withdrawalWatchKey(made.body.withdrawalId))).toBeDefined();
    expect(await checkWithdrawalAge(made.body.withdrawalId)).toBe('stuck');
    // The consumer takes the REMOVE record DynamoDB's TTL writes.
    expect(await consume(await streamRecord(withdrawalWatchKey(made.body.withdrawalId), 'REMOVE'))).toEqual([]);
  });
});

describe('Admin', () => {
  it('lists withdrawals by status and retries a failed one once, with a new reference', async () => {
    const { as, id } = await tutor(500_000);
    paystack.faults.add(TRANSFER_FAULTS.failed);
    let w;
    try {
      w = await withdrawnAndSent(as, 200_000);
    } finally {
      paystack.faults.delete(TRANSFER_FAULTS.failed);
    }
    await webhook(lastTransferEvent(w.reference));
    const admin = caller('payout-admin', 'admin');
    const failed = await call(listAdminWithdrawals, 'GET /admin/withdrawals', { as: admin, query: { status: 'FAILED', limit: '100' } });
    expect(failed.body.items).toContainEqual(expect.objectContaining({ withdrawalId: w.withdrawalId, tutorId: id, status: 'FAILED' }));
    expect((await call(retryWithdrawal, 'POST /admin/withdrawals/{withdrawalId}/retry', { as, pathParameters: { withdrawalId: w.withdrawalId } })).status).toBe(403);

    const retried = await call(retryWithdrawal, 'POST /admin/withdrawals/{withdrawalId}/retry', { as: admin, pathParameters: { withdrawalId: w.withdrawalId } });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'PENDING', retryOf: w.withdrawalId, amount: { amount: 200_000 } });
    expect(retried.body.reference).not.toBe(w.reference);
    expect(await getWithdrawal(w.withdrawalId)).toMatchObject({ retriedAs: retried.body.withdrawalId });
    expect(await wallet(as)).toMatchObject({ available: { amount: 300_000 }, pending: { amount: 200_000 } });
    expect(await call(retryWithdrawal, 'POST /admin/withdrawals/{withdrawalId}/retry', { as: admin, pathParameters: { withdrawalId: w.withdrawalId } })).toMatchObject({
      status: 409,
      body: { error: { code: 'NOT_RETRYABLE' } },
    });
    expect(await call(retryWithdrawal, 'POST /admin/withdrawals/{withdrawalId}/retry', { as: admin, pathParameters: { withdrawalId: retried.body.withdrawalId } })).toMatchObject({
      status: 409,
      body: { error: { code: 'NOT_RETRYABLE' } },
    });
    // The new attempt's transfer goes out like any withdrawal's.
    expect(await consume(await streamRecord(withdrawalKey(retried.body.withdrawalId)))).toEqual([]);
    expect((await getWithdrawal(retried.body.withdrawalId))!.status).toBe('PROCESSING');
  });

  it('withdrawals of a tutor use the use case’s minimum from WITHDRAWAL_MINIMUM', async () => {
    const { as } = await tutor(500_000);
    process.env.WITHDRAWAL_MINIMUM = '300000';
    try {
      await expect(createWithdrawal({ userId: as.sub, roles: ['tutor'] }, 200_000)).rejects.toMatchObject({ code: 'BELOW_MINIMUM' });
    } finally {
      delete process.env.WITHDRAWAL_MINIMUM;
    }
  });
});
