/**
 * The Paystack client against the local emulator (real HTTP on a free port), and against
 * stubbed fetches for the failures the emulator does not produce on demand.
 */
import crypto from 'node:crypto';
import { startPaystackEmulator, type PaystackEmulator } from '../../infra/local/emulators/paystack/emulator';
import { initializeRequest, metadataSessionId, paystackWebhookEvent, refundRequest, type InitializeRequest } from '../schemas/paystack';
import {
  createPaystackClient,
  createSecretKeyProvider,
  isPaystackError,
  PaystackError,
  secretKeyFromSecretString,
  signWebhook,
  verifyWebhookSignature,
  type PaystackClientOptions,
} from './paystack';

const SECRET = 'sk_test_client_contract';

let emulator: PaystackEmulator;
beforeAll(async () => {
  emulator = await startPaystackEmulator({ secretKey: SECRET, log: false });
});
afterAll(async () => {
  await emulator.stop();
});

let refCounter = 0;
const payment = (over: Partial<InitializeRequest> = {}): InitializeRequest => ({
  email: 'student@example.com',
  amount: 750_000,
  currency: 'NGN',
  reference: `client-${Date.now()}-${++refCounter}`,
  callback_url: 'http://localhost:5173/payments/return',
  metadata: { sessionId: '01JTESTSESSION0000000000000' },
  ...over,
});

const noSleep = () => jest.fn((_ms: number) => Promise.resolve());

const againstEmulator = (over: Partial<PaystackClientOptions> = {}) =>
  createPaystackClient({ baseUrl: emulator.url, secretKey: SECRET, sleep: noSleep(), onRetry: () => {}, ...over });

/** A fetch that answers from a list, one per call; the last one repeats. */
const scripted = (...answers: (() => Promise<Response>)[]) => {
  let call = 0;
  return jest.fn((_input: string | URL | Request, _init?: RequestInit) => answers[Math.min(call++, answers.length - 1)]!());
};
const json = (status: number, body: unknown) => () => Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const verifyBody = (reference: string) => ({
  status: true,
  message: 'Verification successful',
  data: { id: 1, status: 'success', reference, amount: 5000, currency: 'NGN', paid_at: '2026-01-01T00:00:00.000Z' },
});

/** Captures the error a promise rejects with. */
const failure = async (p: Promise<unknown>): Promise<PaystackError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof PaystackError) return e;
    throw e;
  }
  throw new Error('Expected a PaystackError');
};

describe('the Paystack client against the emulator', () => {
  it('initializes a payment that, once paid at checkout, verifies as success with its amount', async () => {
    const paystack = againstEmulator();
    const req = payment({ amount: 1_050_000 });
    const init = await paystack.initialize(req);
    expect(init.reference).toBe(req.reference);
    expect(init.authorization_url).toMatch(/\/checkout\/[a-z0-9]+$/);

    expect((await paystack.verify(req.reference)).status).toBe('abandoned');

    const res = await fetch(init.authorization_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=success',
      redirect: 'manual',
    });
    expect(res.status).toBe(302);

    const verified = await paystack.verify(req.reference);
    expect(verified).toMatchObject({ status: 'success', reference: req.reference, amount: 1_050_000, currency: 'NGN', channel: 'card' });
  });

  it('sends only requests that match the request schemas, with the bearer key', async () => {
    const spy = jest.fn((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
    const paystack = againstEmulator({ fetch: spy });
    const req = payment({ subaccount: 'ACCT_abc123', bearer: 'subaccount' });
    await paystack.initialize(req);
    emulator.settle(req.reference, 'success');
    await paystack.verify(req.reference);
    await paystack.refund({ transaction: req.reference, amount: 1000, merchant_note: 'Cancelled by the tutor' });

    expect(spy.mock.calls.map(([url, init]) => `${init?.method} ${String(url).slice(emulator.url.length)}`)).toEqual([
      'POST /transaction/initialize',
      `GET /transaction/verify/${req.reference}`,
      'POST /refund',
    ]);
    for (const [, init] of spy.mock.calls) {
      expect((init!.headers as Record<string, string>).authorization).toBe(`Bearer ${SECRET}`);
      expect(init!.signal).toBeInstanceOf(AbortSignal);
    }
    const [init, , refund] = spy.mock.calls.map(([, i]) => (i!.body === undefined ? undefined : JSON.parse(i!.body as string)));
    expect(initializeRequest.parse(init)).toEqual(req);
    expect(typeof init.amount).toBe('number');
    expect(refundRequest.parse(refund)).toEqual({ transaction: req.reference, amount: 1000, merchant_note: 'Cancelled by the tutor' });
  });

  it('reports a reused reference as DUPLICATE_REFERENCE, so a retried initialize can be treated as done', async () => {
    const paystack = againstEmulator();
    const req = payment();
    await paystack.initialize(req);
    const e = await failure(paystack.initialize(req));
    expect(e).toMatchObject({ code: 'DUPLICATE_REFERENCE', status: 400, paystackCode: 'duplicate_reference', attempts: 1, alreadyDone: true });
    expect(e.message).toContain('Duplicate Transaction Reference');
  });

  it('reports an unknown reference as NOT_FOUND, and a refused second refund as REJECTED like any refusal: its wording decides nothing', async () => {
    const paystack = againstEmulator();
    expect(await failure(paystack.verify('no-such-ref'))).toMatchObject({ code: 'NOT_FOUND', status: 404 });

    const req = payment();
    await paystack.initialize(req);
    emulator.settle(req.reference, 'success');
    expect(await paystack.refund({ transaction: req.reference })).toMatchObject({ status: 'pending', amount: req.amount });
    // Whether it is refunded already is Paystack's state (verify, the refunds list), not these words.
    const again = await failure(paystack.refund({ transaction: req.reference }));
    expect(again).toMatchObject({ code: 'REJECTED', status: 400, attempts: 1, alreadyDone: false });
    const reworded = await failure(
      createPaystackClient({
        baseUrl: 'https://paystack.test',
        secretKey: SECRET,
        fetch: scripted(json(400, { status: false, message: 'Transaction has been fully reversed' })),
      }).refund({
        transaction: req.reference,
      }),
    );
    expect(reworded).toMatchObject({ code: 'REJECTED', alreadyDone: false });
  });

  it('lists refunds page by page with the documented query, and parses them', async () => {
    const spy = jest.fn((input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init));
    const paystack = againstEmulator({ fetch: spy });
    const req = payment();
    const from = new Date(Date.now() - 1000).toISOString();
    await paystack.initialize(req);
    emulator.settle(req.reference, 'success');
    const made = await paystack.refund({ transaction: req.reference, amount: 1000, merchant_note: 'first' });
    await paystack.refund({ transaction: req.reference, amount: 2000, merchant_note: 'second' });

    const first = await paystack.listRefunds({ from, perPage: 1, page: 2 });
    expect(first.pageCount).toBeGreaterThanOrEqual(2);
    expect(first.refunds).toEqual([
      expect.objectContaining({ id: made.id, transaction_reference: req.reference, amount: 1000, currency: 'NGN', status: 'pending', merchant_note: 'first' }),
    ]);
    expect(String(spy.mock.calls.at(-1)![0])).toBe(`${emulator.url}/refund?from=${encodeURIComponent(from)}&perPage=1&page=2`);
    expect(await failure(paystack.listRefunds({ perPage: 0 }))).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
  });

  it('reports a wrong secret key as UNAUTHORIZED without retrying', async () => {
    const sleep = noSleep();
    const e = await failure(againstEmulator({ secretKey: 'sk_test_wrong', sleep }).verify('any-ref'));
    expect(e).toMatchObject({ code: 'UNAUTHORIZED', status: 401, attempts: 1 });
    expect(sleep).not.toHaveBeenCalled();
  });

  it('takes the secret key from a function, asked on each call', async () => {
    const key = jest.fn(async () => SECRET);
    const paystack = againstEmulator({ secretKey: key });
    await expect(paystack.verify('no-such-ref')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(key).toHaveBeenCalledTimes(1);
  });
});

describe('the Paystack client, retrying', () => {
  const client = (fetch: PaystackClientOptions['fetch'], over: Partial<PaystackClientOptions> = {}) => {
    const sleep = noSleep();
    const onRetry = jest.fn();
    const paystack = createPaystackClient({ baseUrl: 'http://paystack.invalid/', secretKey: SECRET, fetch, sleep, onRetry, random: () => 0.5, ...over });
    return { paystack, sleep, onRetry };
  };

  it('retries a 500 twice, then succeeds, waiting with exponential backoff and full jitter', async () => {
    const fetch = scripted(json(500, { status: false, message: 'An error occurred' }), json(502, { status: false, message: 'Bad gateway' }), json(200, verifyBody('r-1')));
    const { paystack, sleep, onRetry } = client(fetch);
    expect(await paystack.verify('r-1')).toMatchObject({ status: 'success', amount: 5000 });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(fetch.mock.calls[0]![0]).toBe('http://paystack.invalid/transaction/verify/r-1');
    // random() = 0.5 of min(5000, 200 × 2^(n-1)).
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([100, 200]);
    expect(onRetry).toHaveBeenCalledTimes(2);
  });

  it('draws every delay from [0, cap): random() = 0 waits nothing, the cap bounds the growth', async () => {
    const fetch = scripted(json(503, { status: false, message: 'down' }));
    const low = client(fetch, { random: () => 0, retries: 5 });
    await expect(low.paystack.verify('r-1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(low.sleep.mock.calls.map(([ms]) => ms)).toEqual([0, 0, 0, 0, 0]);

    const high = client(scripted(json(503, { status: false, message: 'down' })), { random: () => 0.999999, retries: 6, backoffBaseMs: 1000, backoffMaxMs: 5000 });
    await expect(high.paystack.verify('r-1')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(high.sleep.mock.calls.map(([ms]) => ms)).toEqual([999, 1999, 3999, 4999, 4999, 4999]);
  });

  it('gives up after `retries` retries with UNAVAILABLE and the last status', async () => {
    const fetch = scripted(json(500, { status: false, message: 'An error occurred' }));
    const { paystack, sleep } = client(fetch);
    const e = await failure(paystack.verify('r-1'));
    expect(e).toMatchObject({ code: 'UNAVAILABLE', status: 500, attempts: 4 });
    expect(fetch).toHaveBeenCalledTimes(4);
    expect(sleep).toHaveBeenCalledTimes(3);
  });

  it('retries a 429', async () => {
    const fetch = scripted(json(429, { status: false, message: 'Too many requests' }), json(200, verifyBody('r-1')));
    const { paystack } = client(fetch);
    await expect(paystack.verify('r-1')).resolves.toMatchObject({ status: 'success' });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('does not retry a 400 and passes on Paystack’s message', async () => {
    const fetch = scripted(json(400, { status: false, message: 'Invalid Amount Sent', type: 'validation_error', code: 'invalid_amount' }));
    const { paystack, sleep } = client(fetch);
    const e = await failure(paystack.initialize(payment()));
    expect(e).toMatchObject({ code: 'REJECTED', status: 400, paystackCode: 'invalid_amount', attempts: 1 });
    expect(e.message).toBe('Paystack initialize: Invalid Amount Sent');
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('retries an attempt that times out', async () => {
    const hang = (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason)));
    let call = 0;
    const fetch = jest.fn((input: string | URL | Request, init?: RequestInit) => (call++ === 0 ? hang(input, init) : json(200, verifyBody('r-1'))()));
    const { paystack, onRetry } = client(fetch, { timeoutMs: 20 });
    await expect(paystack.verify('r-1')).resolves.toMatchObject({ status: 'success' });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onRetry.mock.calls[0]![0].reason).toMatch(/^TIMEOUT/);
  });

  it('reports TIMEOUT when every attempt times out', async () => {
    const fetch = jest.fn(
      (_input: string | URL | Request, init?: RequestInit) => new Promise<Response>((_, reject) => init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason))),
    );
    const { paystack } = client(fetch, { timeoutMs: 10, retries: 1 });
    expect(await failure(paystack.verify('r-1'))).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
  });

  it('retries a network error and reports NETWORK when it persists', async () => {
    const refused = () => Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
    const fetch = scripted(refused);
    const { paystack } = client(fetch, { retries: 2 });
    expect(await failure(paystack.verify('r-1'))).toMatchObject({ code: 'NETWORK', attempts: 3 });
  });

  it('does not repeat a partial refund that may have reached Paystack, but does one that surely did not', async () => {
    const maybeSent = client(scripted(json(500, { status: false, message: 'An error occurred' })));
    expect(await failure(maybeSent.paystack.refund({ transaction: 'r-1', amount: 100 }))).toMatchObject({ code: 'UNAVAILABLE', attempts: 1 });

    const refused = () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
    const refundOk = json(200, {
      status: true,
      message: 'Refund has been queued for processing',
      data: { transaction: { id: 1, reference: 'r-1' }, amount: 100, currency: 'NGN', status: 'pending', id: 9 },
    });
    const notSent = client(scripted(refused, refundOk));
    await expect(notSent.paystack.refund({ transaction: 'r-1', amount: 100 })).resolves.toMatchObject({ status: 'pending', amount: 100 });

    const full = client(scripted(json(500, { status: false, message: 'An error occurred' }), refundOk));
    await expect(full.paystack.refund({ transaction: 'r-1' })).resolves.toMatchObject({ status: 'pending' });
  });

  it('reports a 2xx answer that does not match the response schema as BAD_RESPONSE, without retrying', async () => {
    for (const answer of [
      json(200, { status: true, message: 'ok', data: { id: 1, status: 'paid-ish', reference: 'r-1', amount: 5000, currency: 'NGN' } }),
      json(200, { status: true, message: 'ok', data: { id: 1, status: 'success', reference: 'r-1', amount: '5000', currency: 'NGN' } }),
      () => Promise.resolve(new Response('<html>gateway</html>', { status: 200 })),
    ]) {
      const fetch = scripted(answer);
      const e = await failure(client(fetch).paystack.verify('r-1'));
      expect(e).toMatchObject({ code: 'BAD_RESPONSE', status: 200, attempts: 1 });
      expect(fetch).toHaveBeenCalledTimes(1);
    }
  });

  it('refuses a request that does not match the request schema before sending anything', async () => {
    const fetch = scripted(json(200, {}));
    const { paystack } = client(fetch);
    for (const bad of [
      paystack.initialize({ ...payment(), amount: 10.5 }),
      paystack.initialize({ ...payment(), extra: true } as InitializeRequest),
      paystack.initialize({ ...payment(), reference: 'has spaces' }),
      paystack.verify('../../etc'),
      paystack.refund({ transaction: '' }),
    ]) {
      expect(await failure(bad)).toMatchObject({ code: 'INVALID_REQUEST', attempts: 0 });
    }
    expect(fetch).not.toHaveBeenCalled();
    expect(isPaystackError(new PaystackError({ code: 'TIMEOUT', operation: 'verify', message: 'x', attempts: 1 }), 'TIMEOUT')).toBe(true);
  });
});

describe('the Paystack secret key', () => {
  const saved = { key: process.env.PAYSTACK_SECRET_KEY, arn: process.env.PAYSTACK_SECRET_ARN };
  afterEach(() => {
    for (const [name, value] of [
      ['PAYSTACK_SECRET_KEY', saved.key],
      ['PAYSTACK_SECRET_ARN', saved.arn],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is PAYSTACK_SECRET_KEY when set, without asking Secrets Manager', async () => {
    process.env.PAYSTACK_SECRET_KEY = 'sk_test_env';
    process.env.PAYSTACK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:paystack';
    const load = jest.fn(async () => 'sk_test_sm');
    await expect(createSecretKeyProvider(load)()).resolves.toBe('sk_test_env');
    expect(load).not.toHaveBeenCalled();
  });

  it('else comes from the secret PAYSTACK_SECRET_ARN names, through the cached secret reader; a failed read is tried again', async () => {
    delete process.env.PAYSTACK_SECRET_KEY;
    process.env.PAYSTACK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:paystack';
    const load = jest.fn<Promise<string>, [string]>().mockRejectedValueOnce(new Error('throttled')).mockResolvedValue('sk_test_sm');
    const key = createSecretKeyProvider(load);
    await expect(key()).rejects.toThrow('throttled');
    await expect(key()).resolves.toBe('sk_test_sm');
    expect(load).toHaveBeenCalledTimes(2);
    expect(load).toHaveBeenLastCalledWith('arn:aws:secretsmanager:eu-west-1:000000000000:secret:paystack');
  });

  it('fails clearly when neither variable is set', () => {
    delete process.env.PAYSTACK_SECRET_KEY;
    delete process.env.PAYSTACK_SECRET_ARN;
    expect(() => createSecretKeyProvider(jest.fn())()).toThrow(/PAYSTACK_SECRET_KEY or PAYSTACK_SECRET_ARN/);
  });

  it('reads a plain or a JSON SecretString', () => {
    expect(secretKeyFromSecretString(' sk_live_plain\n')).toBe('sk_live_plain');
    expect(secretKeyFromSecretString('{"secretKey":"sk_live_json"}')).toBe('sk_live_json');
    expect(() => secretKeyFromSecretString('{"other":"x"}')).toThrow(/secretKey/);
  });
});

describe('webhook signatures', () => {
  const body = JSON.stringify({ event: 'charge.success', data: { reference: 'r-1', amount: 5000, currency: 'NGN' } });
  const signature = signWebhook(body, SECRET);

  it('are the lowercase hex HMAC-SHA512 of the raw body keyed with the secret key', () => {
    expect(signature).toBe(crypto.createHmac('sha512', SECRET).update(body).digest('hex'));
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    expect(signWebhook(Buffer.from(body), SECRET)).toBe(signature);
  });

  it('verify when valid', () => {
    expect(verifyWebhookSignature(body, signature, SECRET)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), signature, SECRET)).toBe(true);
  });

  it('do not verify when invalid, signed with another key, or made for another body', () => {
    const flipped = signature.slice(0, -1) + (signature.endsWith('0') ? '1' : '0');
    expect(verifyWebhookSignature(body, flipped, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signWebhook(body, 'sk_test_other'), SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signature, '')).toBe(false);
  });

  it('do not verify when the header is missing or malformed', () => {
    for (const header of [undefined, null, '', 'sha512=' + signature, signature.slice(0, 64), signature + '00', 'z'.repeat(128), [signature, signature]]) {
      expect(verifyWebhookSignature(body, header, SECRET)).toBe(false);
    }
  });

  it('do not verify a body changed by one byte', () => {
    const changed = body.replace('5000', '5001');
    expect(changed).toHaveLength(body.length);
    expect(verifyWebhookSignature(changed, signature, SECRET)).toBe(false);
    const bytes = Buffer.from(body);
    bytes[bytes.length - 1]! ^= 1;
    expect(verifyWebhookSignature(bytes, signature, SECRET)).toBe(false);
  });

  it('are compared in constant time over the decoded bytes, never as strings', () => {
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      const wrongFirst = (signature.startsWith('a') ? 'b' : 'a') + signature.slice(1);
      const wrongLast = signature.slice(0, -1) + (signature.endsWith('a') ? 'b' : 'a');
      expect(verifyWebhookSignature(body, wrongFirst, SECRET)).toBe(false);
      expect(verifyWebhookSignature(body, wrongLast, SECRET)).toBe(false);
      expect(verifyWebhookSignature(body, signature.toUpperCase(), SECRET)).toBe(true);
      expect(spy).toHaveBeenCalledTimes(3);
      for (const [a, b] of spy.mock.calls) {
        expect(Buffer.isBuffer(a) && Buffer.isBuffer(b)).toBe(true);
        expect((a as Buffer).length).toBe(64);
        expect((b as Buffer).length).toBe(64);
      }
    } finally {
      spy.mockRestore();
    }
  });
});

describe('webhook events', () => {
  it('are typed for charge.success, refund.* and transfer.*, and pass any other event as unhandled', () => {
    const charge = paystackWebhookEvent.parse({
      event: 'charge.success',
      data: { id: 7, reference: 'r-1', amount: 5000, currency: 'NGN', status: 'success', metadata: { sessionId: 'S1' }, extra: 1 },
    });
    expect(charge).toMatchObject({ event: 'charge.success', data: { reference: 'r-1', amount: 5000, extra: 1 } });

    // Paystack's refund examples carry the amount as a digit string; it is read as a number.
    const refund = paystackWebhookEvent.parse({
      event: 'refund.pending',
      data: { status: 'pending', transaction_reference: 'r-1', refund_reference: null, amount: '5000', currency: 'NGN' },
    });
    expect(refund).toMatchObject({ event: 'refund.pending', data: { transaction_reference: 'r-1', amount: 5000 } });

    expect(paystackWebhookEvent.parse({ event: 'transfer.success', data: { reference: 't' } })).toEqual({ event: 'transfer.success', data: { reference: 't' } });
    expect(paystackWebhookEvent.parse({ event: 'subscription.create', data: { id: 1 } })).toEqual({ event: 'unhandled', name: 'subscription.create', data: { id: 1 } });
  });

  it('fail to parse when an event we act on lacks a field we read', () => {
    const result = paystackWebhookEvent.safeParse({ event: 'charge.success', data: { reference: 'r-1', currency: 'NGN', status: 'success' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['data', 'amount']);
    expect(paystackWebhookEvent.safeParse({ data: {} }).success).toBe(false);
  });

  it('carry our session id in metadata, as an object or as a JSON string (none in "", null or 0)', () => {
    expect(metadataSessionId({ sessionId: 'S1' })).toBe('S1');
    expect(metadataSessionId('{"sessionId":"S2"}')).toBe('S2');
    expect(metadataSessionId('')).toBeUndefined();
    expect(metadataSessionId(null)).toBeUndefined();
    expect(metadataSessionId(0)).toBeUndefined();
    expect(metadataSessionId({ sessionId: 3 })).toBeUndefined();
  });
});
