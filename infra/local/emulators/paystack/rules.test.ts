/**
 * The emulator holds requests to Paystack's published rules (its API description), not to
 * our client's schemas: what Paystack takes, it takes (initialize without currency, fields we
 * never send); what Paystack refuses, it refuses, with Paystack's status codes. And it can
 * play the refund outcomes Paystack documents (processing, failed, needs-attention), with
 * amounts as strings where Paystack's samples have them.
 */
import { createServer, type Server } from 'node:http';
import { verifyWebhookSignature } from '../../../../shared/integrations/paystack';
import { paystackErrorBody, paystackWebhookEvent, verifyResponse } from '../../../../shared/schemas/paystack';
import { httpOrigin, listen, readBody } from '../../ports';
import { startPaystackEmulator, type PaystackEmulator, type PaystackEmulatorOptions } from './emulator';

const SECRET = 'sk_test_emulator_rules';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

const emulator = async (opts: Partial<PaystackEmulatorOptions> = {}): Promise<PaystackEmulator> => {
  const e = await startPaystackEmulator({ secretKey: SECRET, log: false, retryDelaysMs: [], refundDelayMs: 5, ...opts });
  cleanups.push(() => e.stop());
  return e;
};

/** A webhook endpoint answering 200, keeping the raw bodies and signatures it got. */
const receiver = async () => {
  const received: { raw: string; signature: string | string[] | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req, 1024 * 1024).then((b) => {
      received.push({ raw: b.toString('utf8'), signature: req.headers['x-paystack-signature'] });
      res.writeHead(200).end();
    });
  });
  const address = await listen(server, 0, '127.0.0.1');
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `${httpOrigin(address)}/webhooks/paystack`, received };
};

const until = async (what: string, cond: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

const api = async (e: PaystackEmulator, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${e.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${SECRET}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

let n = 0;
const minimal = () => ({ email: 'student@example.com', amount: 500_000, reference: `rules-${++n}` });

describe('POST /transaction/initialize, by Paystack’s rules', () => {
  it('takes a body without currency (the integration’s own, NGN here) and without callback_url or metadata', async () => {
    const e = await emulator();
    const body = minimal();
    expect((await api(e, 'POST', '/transaction/initialize', body)).status).toBe(200);
    const verified = verifyResponse.parse((await api(e, 'GET', `/transaction/verify/${body.reference}`)).body);
    expect(verified.data).toMatchObject({ currency: 'NGN', amount: 500_000, status: 'abandoned' });
  });

  it('takes documented fields our client never sends (channels, label, bearer) and ignores unknown ones', async () => {
    const e = await emulator();
    const res = await api(e, 'POST', '/transaction/initialize', {
      ...minimal(),
      currency: 'GHS',
      channels: ['card', 'mobile_money'],
      label: 'Mentorship',
      bearer: 'account',
      somethingNew: 1,
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no email', { email: undefined }, /email/],
    ['no amount', { amount: undefined }, /amount/],
    ['a fractional amount', { amount: 10.5 }, /amount/],
    ['an amount as a word', { amount: 'ten' }, /amount/],
    ['a currency Paystack does not take', { currency: 'EUR' }, /currency/],
    ['a channel Paystack does not know', { channels: ['cheque'] }, /channels/],
    ['a bearer Paystack does not know', { bearer: 'platform' }, /bearer/],
    ['a reference with characters Paystack refuses', { reference: 'has space' }, /reference/],
    ['metadata that is not an object', { metadata: 42 }, /metadata/],
  ])('refuses %s with 400 and Paystack’s error shape', async (_name, over, field) => {
    const e = await emulator();
    const res = await api(e, 'POST', '/transaction/initialize', { ...minimal(), ...over });
    expect(res.status).toBe(400);
    expect(paystackErrorBody.parse(res.body)).toMatchObject({ status: false, message: expect.stringMatching(field) });
    expect(e.transactions.size).toBe(0);
  });
});

describe('GET /transaction/verify/:reference, by Paystack’s rules', () => {
  it('answers an unknown reference with 404 { status: false, message }', async () => {
    const e = await emulator();
    const res = await api(e, 'GET', '/transaction/verify/never-issued');
    expect(res.status).toBe(404);
    expect(paystackErrorBody.parse(res.body)).toMatchObject({ status: false, message: expect.any(String) });
  });
});

describe('POST /refund, by Paystack’s rules', () => {
  it.each([
    ['no transaction', { transaction: undefined }],
    ['a fractional amount', { amount: 1.5 }],
    ['a currency Paystack does not take', { currency: 'EUR' }],
  ])('refuses %s with 400', async (_name, over) => {
    const e = await emulator();
    const { reference } = minimal();
    await api(e, 'POST', '/transaction/initialize', { ...minimal(), reference });
    e.settle(reference, 'success');
    const res = await api(e, 'POST', '/refund', { transaction: reference, ...over });
    expect(res.status).toBe(400);
    expect(paystackErrorBody.parse(res.body).status).toBe(false);
  });
});

describe('Refund outcomes', () => {
  /** A paid transaction with a refund asked of it; the refund.* events it brings, parsed. */
  const refunded = async (script?: (e: PaystackEmulator, reference: string) => Promise<void> | void, opts: Partial<PaystackEmulatorOptions> = {}) => {
    const hooks = await receiver();
    const e = await emulator({ webhookUrl: hooks.url, ...opts });
    const { reference } = minimal();
    await api(e, 'POST', '/transaction/initialize', { ...minimal(), reference });
    e.settle(reference, 'success');
    await until('charge.success', () => hooks.received.length === 1);
    await script?.(e, reference);
    expect((await api(e, 'POST', '/refund', { transaction: reference })).status).toBe(200);
    const events = () => hooks.received.slice(1).map((h) => ({ ...h, json: JSON.parse(h.raw) as { event: string; data: Record<string, unknown> } }));
    return { e, reference, events };
  };

  it('by default: refund.processed, its amount a digit string as in Paystack’s sample, which our parser reads as a number', async () => {
    const { events } = await refunded();
    await until('refund.processed', () => events().length === 1);
    const [processed] = events();
    expect(processed!.json).toMatchObject({ event: 'refund.processed', data: { status: 'processed', amount: '500000' } });
    expect(verifyWebhookSignature(processed!.raw, processed!.signature, SECRET)).toBe(true);
    expect(paystackWebhookEvent.parse(processed!.json)).toMatchObject({ data: { amount: 500_000 } });
  });

  it.each([[['processing', 'failed']], [['processing', 'needs-attention']], [['failed']]] as const)(
    'plays %j when told to (refundSteps), each a signed refund.* event our parser takes',
    async (steps) => {
      const { e, reference, events } = await refunded((em, ref) => em.setRefundSteps(ref, steps));
      await until(steps.join(' → '), () => events().length === steps.length);
      expect(events().map((x) => x.json.event)).toEqual(steps.map((s) => `refund.${s}`));
      for (const x of events()) {
        expect(verifyWebhookSignature(x.raw, x.signature, SECRET)).toBe(true);
        const parsed = paystackWebhookEvent.parse(x.json);
        expect(parsed).toMatchObject({ event: x.json.event, data: { transaction_reference: reference, amount: 500_000 } });
      }
      expect(e.transactions.get(reference)!.refunds.at(-1)!.status).toBe(steps.at(-1));
      // A failed refund gives the money back to refund: it may be asked again.
      if (steps.at(-1) === 'failed') expect((await api(e, 'POST', '/refund', { transaction: reference })).status).toBe(200);
    },
  );

  it('is told by a control endpoint too, for a stack in another process', async () => {
    const { events } = await refunded(async (e, reference) => {
      const res = await fetch(`${e.url}/_emulator/transactions/${reference}/refund-steps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ steps: ['processing', 'failed'] }),
      });
      expect(res.status).toBe(200);
    });
    await until('processing → failed', () => events().length === 2);
    expect(events().map((x) => x.json.event)).toEqual(['refund.processing', 'refund.failed']);
  });

  it('refuses refund steps that do not end the refund, or for an unknown transaction', async () => {
    const e = await emulator();
    const post = (reference: string, steps: unknown) =>
      fetch(`${e.url}/_emulator/transactions/${reference}/refund-steps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ steps }) });
    const { reference } = minimal();
    await api(e, 'POST', '/transaction/initialize', { ...minimal(), reference });
    expect((await post(reference, ['processing'])).status).toBe(400);
    expect((await post(reference, ['exploded'])).status).toBe(400);
    expect((await post('unknown-ref', ['failed'])).status).toBe(404);
  });
});
