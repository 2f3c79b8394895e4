/**
 * The emulator's contract: every answer has Paystack's wire format as our schemas encode it,
 * and webhooks are signed, delivered once per event and retried like Paystack does.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../../../shared/integrations/paystack';
import {
  initializeResponse,
  paystackErrorBody,
  paystackWebhookEvent,
  refundListResponse,
  refundResponse,
  verifyResponse,
  type InitializeRequest,
} from '../../../../shared/schemas/paystack';
import { startPaystackEmulator, type PaystackEmulator, type PaystackEmulatorOptions } from './emulator';

const SECRET = 'sk_test_emulator_contract';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A webhook endpoint on a free port that answers with `statuses` in turn (then 200). */
const startReceiver = async (statuses: number[] = []) => {
  const received: Received[] = [];
  const arrivals = new EventEmitter();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
      arrivals.emit('request');
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  /** Resolves once `n` webhooks have arrived. */
  const arrived = (n: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (received.length < n) return;
        arrivals.off('request', check);
        resolve();
      };
      arrivals.on('request', check);
      check();
    });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/paystack`,
    received,
    arrived,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const receiver = async (statuses?: number[]) => {
  const r = await startReceiver(statuses);
  cleanups.push(r.close);
  return r;
};

const emulator = async (opts: Partial<PaystackEmulatorOptions> = {}): Promise<PaystackEmulator> => {
  const e = await startPaystackEmulator({ secretKey: SECRET, log: false, ...opts });
  cleanups.push(() => e.stop());
  return e;
};

let refCounter = 0;
const payment = (over: Partial<InitializeRequest> = {}): InitializeRequest => ({
  email: 'student@example.com',
  amount: 750_000,
  currency: 'NGN',
  reference: `sess-${Date.now()}-${++refCounter}`,
  callback_url: 'http://localhost:5173/payments/return?x=1',
  metadata: { sessionId: '01JTESTSESSION0000000000000' },
  ...over,
});

const api = async (e: PaystackEmulator, method: string, path: string, body?: unknown, key: string | null = SECRET) => {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { ...(key !== null ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: await res.json() };
};

const initialize = async (e: PaystackEmulator, over: Partial<InitializeRequest> = {}) => {
  const res = await api(e, 'POST', '/transaction/initialize', payment(over));
  expect(res.status).toBe(200);
  return initializeResponse.parse(res.body).data;
};

const checkout = (authorizationUrl: string, outcome: string) =>
  fetch(authorizationUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome }).toString(),
    redirect: 'manual',
  });

describe('the Paystack emulator', () => {
  it('answers initialize, verify and refund in the shapes our schemas parse', async () => {
    const e = await emulator();
    const init = await api(e, 'POST', '/transaction/initialize', payment({ reference: 'contract-1' }));
    expect(init.status).toBe(200);
    const data = initializeResponse.parse(init.body);
    expect(data).toMatchObject({ status: true, message: 'Authorization URL created', data: { reference: 'contract-1' } });
    expect(data.data.authorization_url).toBe(`${e.url}/checkout/${data.data.access_code}`);

    const unpaid = verifyResponse.parse((await api(e, 'GET', '/transaction/verify/contract-1')).body);
    expect(unpaid.data).toMatchObject({ status: 'abandoned', reference: 'contract-1', amount: 750_000, currency: 'NGN', paid_at: null });

    e.settle('contract-1', 'success');
    const paid = verifyResponse.parse((await api(e, 'GET', '/transaction/verify/contract-1')).body);
    expect(paid).toMatchObject({ status: true, message: 'Verification successful' });
    expect(paid.data).toMatchObject({
      status: 'success',
      channel: 'card',
      gateway_response: 'Successful',
      metadata: { sessionId: '01JTESTSESSION0000000000000' },
      customer: { email: 'student@example.com' },
    });
    expect(typeof paid.data.paid_at).toBe('string');

    const refund = await api(e, 'POST', '/refund', { transaction: 'contract-1' });
    expect(refund.status).toBe(200);
    expect(refundResponse.parse(refund.body)).toMatchObject({
      status: true,
      message: 'Refund has been queued for processing',
      data: { transaction: { reference: 'contract-1' }, amount: 750_000, currency: 'NGN', status: 'pending' },
    });
  });

  it('answers every refusal as { status: false, message } with the status Paystack uses', async () => {
    const e = await emulator();
    const cases = [
      await api(e, 'GET', '/transaction/verify/nope', undefined, null),
      await api(e, 'POST', '/transaction/initialize', { ...payment(), amount: 'ten' }),
      await api(e, 'GET', '/transaction/verify/unknown-ref'),
      await api(e, 'POST', '/refund', { transaction: 'unknown-ref' }),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 400, 404, 400]);
    for (const c of cases) expect(paystackErrorBody.parse(c.body).status).toBe(false);
    expect(cases[2]!.body).toMatchObject({ message: 'Transaction reference not found', code: 'transaction_not_found' });
  });

  it('refuses calls without the secret key or with another key as 401 Invalid key', async () => {
    const e = await emulator();
    for (const key of [null, 'sk_test_wrong']) {
      const res = await api(e, 'POST', '/transaction/initialize', payment(), key);
      expect(res).toEqual({ status: 401, body: { status: false, message: 'Invalid key' } });
    }
    expect(e.transactions.size).toBe(0);
  });

  it('refuses a reused reference with 400 Duplicate Transaction Reference', async () => {
    const e = await emulator();
    await initialize(e, { reference: 'dup-1' });
    const again = await api(e, 'POST', '/transaction/initialize', payment({ reference: 'dup-1' }));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: false, message: 'Duplicate Transaction Reference', code: 'duplicate_reference' });
    expect(e.transactions.size).toBe(1);
  });

  it('refuses an initialize body that does not match the request schema with a message', async () => {
    const e = await emulator();
    const res = await api(e, 'POST', '/transaction/initialize', { ...payment(), amount: 10.5 });
    expect(res.status).toBe(400);
    expect(paystackErrorBody.parse(res.body).message).toMatch(/^amount: /);
  });

  it('shows a checkout page with the amount, the email and the two buttons', async () => {
    const e = await emulator();
    const { authorization_url } = await initialize(e, { amount: 1_234_500, email: 'ada+tutoring@example.com' });
    const res = await fetch(authorization_url);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('NGN 12345.00');
    expect(html).toContain('ada+tutoring@example.com');
    expect(html).toMatch(/<button name="outcome" value="success">Pay<\/button>/);
    expect(html).toMatch(/<button name="outcome" value="failed">Fail<\/button>/);
  });

  it('delivers exactly one correctly signed charge.success after a successful checkout and redirects to the callback', async () => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url });
    const { authorization_url, reference } = await initialize(e);

    const res = await checkout(authorization_url, 'success');
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:5173/payments/return');
    expect(Object.fromEntries(location.searchParams)).toEqual({ x: '1', trxref: reference, reference });

    // Every delivery (retries included) has ended: what arrived is all that was sent.
    await e.idle();
    expect(hooks.received).toHaveLength(1);
    const [hook] = hooks.received;
    expect(hook!.headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(hook!.raw, hook!.headers['x-paystack-signature'], SECRET)).toBe(true);
    expect(verifyWebhookSignature(hook!.raw, hook!.headers['x-paystack-signature'], 'sk_test_other')).toBe(false);
    const event = paystackWebhookEvent.parse(JSON.parse(hook!.raw));
    expect(event).toMatchObject({
      event: 'charge.success',
      data: { reference, status: 'success', amount: 750_000, currency: 'NGN', metadata: { sessionId: '01JTESTSESSION0000000000000' } },
    });
  });

  it('settles a transaction once: a second checkout post sends no second webhook', async () => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url });
    const { authorization_url, reference } = await initialize(e);
    await checkout(authorization_url, 'success');
    const paidAt = e.transactions.get(reference)!.paidAt;
    expect((await checkout(authorization_url, 'failed')).status).toBe(302);
    await e.idle();
    expect(hooks.received).toHaveLength(1);
    expect(e.transactions.get(reference)).toMatchObject({ status: 'success', paidAt });
  });

  it('sends no charge.success after a failed checkout, and verify says failed', async () => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url });
    const { authorization_url, reference } = await initialize(e, { callback_url: 'http://localhost:5173/r?a=1&b=2' });
    const res = await checkout(authorization_url, 'failed');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Payment failed');
    expect(html).toContain(`href="http://localhost:5173/r?a=1&amp;b=2&amp;trxref=${reference}&amp;reference=${reference}"`);
    await e.idle();
    expect(hooks.received).toHaveLength(0);
    expect(e.webhookAttempts).toEqual([]);
    const verified = verifyResponse.parse((await api(e, 'GET', `/transaction/verify/${reference}`)).body);
    expect(verified.data).toMatchObject({ status: 'failed', paid_at: null });
  });

  it('refuses a checkout post without a valid outcome', async () => {
    const e = await emulator();
    const { authorization_url, reference } = await initialize(e);
    expect((await checkout(authorization_url, 'maybe')).status).toBe(400);
    expect(e.transactions.get(reference)!.status).toBe('abandoned');
  });

  it('retries a webhook answered with 500 after each of retryDelaysMs until a 200', async () => {
    const hooks = await receiver([500, 500]);
    const e = await emulator({ webhookUrl: hooks.url, retryDelaysMs: [20, 20] });
    const { reference } = await initialize(e);
    e.settle(reference, 'success');
    await e.idle();
    expect(hooks.received).toHaveLength(3);
    expect(new Set(hooks.received.map((h) => h.raw)).size).toBe(1);
    expect(new Set(hooks.received.map((h) => h.headers['x-paystack-signature'])).size).toBe(1);
    expect(e.webhookAttempts.map((a) => a.outcome)).toEqual([500, 500, 200]);
  });

  it('gives up on a webhook at the end of retryDelaysMs', async () => {
    const hooks = await receiver([500, 503, 500, 500]);
    const e = await emulator({ webhookUrl: hooks.url, retryDelaysMs: [10, 10] });
    const delivery = await e.deliverWebhook({ event: 'charge.success', data: { reference: 'x' } });
    expect(delivery).toEqual({ delivered: false, attempts: 3 });
    await e.idle();
    expect(hooks.received).toHaveLength(3);
  });

  it('survives a webhook endpoint that is down', async () => {
    const hooks = await receiver();
    await hooks.close();
    const e = await emulator({ webhookUrl: hooks.url, retryDelaysMs: [5] });
    const { reference } = await initialize(e);
    e.settle(reference, 'success');
    await e.idle();
    expect(e.webhookAttempts).toHaveLength(2);
    expect(e.webhookAttempts.every((a) => typeof a.outcome === 'string')).toBe(true);
    expect((await api(e, 'GET', `/transaction/verify/${reference}`)).status).toBe(200);
  });

  // The retry delay outlasts the test: a delivery that waited it out would time the test out.
  it('stops retrying when stopped while it waits to retry', async () => {
    const hooks = await receiver([500, 500, 500]);
    const lines = new EventEmitter();
    const e = await emulator({ webhookUrl: hooks.url, retryDelaysMs: [600_000], log: (line) => lines.emit('line', line) });
    // The attempt's log line is written just before the wait for the retry begins.
    const answered = new Promise<void>((r) => lines.on('line', (line: string) => line.includes('attempt 1 → 500') && r()));
    const delivery = e.deliverWebhook({ event: 'charge.success', data: { reference: 'y' } });
    await answered;
    await e.stop();
    expect(await delivery).toEqual({ delivered: false, attempts: 1 });
  });

  it('stops retrying when stopped during an attempt', async () => {
    const hooks = await receiver([500, 500, 500]);
    const e = await emulator({ webhookUrl: hooks.url, retryDelaysMs: [600_000] });
    const delivery = e.deliverWebhook({ event: 'charge.success', data: { reference: 'z' } });
    // The request has arrived; the emulator has not read the answer yet.
    await hooks.arrived(1);
    await e.stop();
    expect(await delivery).toEqual({ delivered: false, attempts: 1 });
    expect(hooks.received).toHaveLength(1);
  });

  it('redelivers the latest webhook of a transaction, identical and signed', async () => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url });
    const { reference } = await initialize(e);
    e.settle(reference, 'success');
    await e.idle();
    expect(hooks.received).toHaveLength(1);
    expect(await e.redeliver(reference)).toEqual({ delivered: true, attempts: 1 });
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]!.raw).toBe(hooks.received[0]!.raw);
    expect(verifyWebhookSignature(hooks.received[1]!.raw, hooks.received[1]!.headers['x-paystack-signature'], SECRET)).toBe(true);
    await expect(e.redeliver('never-paid')).rejects.toThrow(/No webhook/);
  });

  it('queues a refund as pending, then sends a signed refund.processed webhook', async () => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url, refundDelayMs: 20 });
    const { reference } = await initialize(e);
    e.settle(reference, 'success');
    await e.idle();
    expect(hooks.received).toHaveLength(1);

    const res = await api(e, 'POST', '/refund', { transaction: reference, amount: 250_000, merchant_note: 'Tutor cancelled' });
    const refund = refundResponse.parse(res.body);
    expect(refund.data).toMatchObject({ status: 'pending', amount: 250_000, currency: 'NGN', transaction: { reference } });

    await e.idle();
    expect(hooks.received).toHaveLength(2);
    const hook = hooks.received[1]!;
    expect(verifyWebhookSignature(hook.raw, hook.headers['x-paystack-signature'], SECRET)).toBe(true);
    const event = paystackWebhookEvent.parse(JSON.parse(hook.raw));
    expect(event).toMatchObject({
      event: 'refund.processed',
      data: { status: 'processed', transaction_reference: reference, amount: 250_000, currency: 'NGN', id: refund.data.id },
    });
    expect(e.transactions.get(reference)!.status).toBe('success');

    // The rest, then nothing is left to refund.
    expect((await api(e, 'POST', '/refund', { transaction: reference })).status).toBe(200);
    await e.idle();
    expect(hooks.received).toHaveLength(3);
    expect(e.transactions.get(reference)!.status).toBe('reversed');
    const again = await api(e, 'POST', '/refund', { transaction: reference });
    expect(again).toMatchObject({ status: 400, body: { status: false, message: 'Transaction has been fully reversed' } });
  });

  it('lists refunds newest first by creation time and page, and fetches one by id, in the shapes our schemas parse', async () => {
    const e = await emulator({ refundDelayMs: 20 });
    const since = new Date(Date.now() - 1000).toISOString();
    const { reference } = await initialize(e);
    e.settle(reference, 'success');
    const first = refundResponse.parse((await api(e, 'POST', '/refund', { transaction: reference, amount: 1_000, merchant_note: 'one' })).body).data;
    const second = refundResponse.parse((await api(e, 'POST', '/refund', { transaction: reference, amount: 2_000 })).body).data;
    await e.idle();
    expect(e.transactions.get(reference)!.refunds.map((r) => r.status)).toEqual(['processed', 'processed']);

    const all = refundListResponse.parse((await api(e, 'GET', `/refund?from=${encodeURIComponent(since)}`)).body);
    expect(all.data.map((r) => r.id)).toEqual([second.id, first.id]);
    expect(all.data[1]).toMatchObject({ transaction_reference: reference, amount: 1_000, currency: 'NGN', status: 'processed', merchant_note: 'one' });
    expect(all.meta).toMatchObject({ page: 1, pageCount: 1, total: 2 });
    const page2 = refundListResponse.parse((await api(e, 'GET', `/refund?from=${encodeURIComponent(since)}&perPage=1&page=2`)).body);
    expect(page2.data.map((r) => r.id)).toEqual([first.id]);
    expect(page2.meta).toMatchObject({ page: 2, pageCount: 2 });
    const later = refundListResponse.parse((await api(e, 'GET', `/refund?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).body);
    expect(later.data).toEqual([]);

    const one = await api(e, 'GET', `/refund/${first.id}`);
    expect(one.body).toMatchObject({ status: true, data: { id: first.id, transaction_reference: reference, amount: 1_000, status: 'processed' } });
    expect((await api(e, 'GET', '/refund/1')).status).toBe(404);
    expect((await api(e, 'GET', '/refund?perPage=0')).status).toBe(400);
  });

  it('refuses to refund an unpaid or unknown transaction with 400', async () => {
    const e = await emulator();
    const { reference } = await initialize(e);
    for (const transaction of [reference, 'unknown-ref']) {
      const res = await api(e, 'POST', '/refund', { transaction });
      expect(res.status).toBe(400);
      expect(paystackErrorBody.parse(res.body).status).toBe(false);
    }
  });

  it('answers 500 to verify under the paystack-verify fault and to every call under the paystack fault', async () => {
    const faults = new Set<string>(['paystack-verify']);
    const e = await emulator({ faults });
    const { reference } = await initialize(e);
    const verify = await api(e, 'GET', `/transaction/verify/${reference}`);
    expect(verify.status).toBe(500);
    expect(paystackErrorBody.parse(verify.body).status).toBe(false);

    faults.clear();
    faults.add('paystack');
    for (const [method, path, body] of [
      ['POST', '/transaction/initialize', payment()],
      ['GET', `/transaction/verify/${reference}`, undefined],
      ['POST', '/refund', { transaction: reference }],
    ] as const) {
      const res = await api(e, method, path, body);
      expect(res.status).toBe(500);
      expect(paystackErrorBody.parse(res.body).status).toBe(false);
    }

    faults.clear();
    expect((await api(e, 'GET', `/transaction/verify/${reference}`)).status).toBe(200);
  });
});
