/**
 * A local Paystack speaking Paystack's wire format (every answer parses with shared/schemas/paystack.ts):
 * transaction initialize and verify, refunds (create, list, fetch) and the Transfers API
 * (./transfers.ts), a checkout page with "Pay" and "Fail" buttons, and signed webhooks with
 * Paystack's retries. Point the client at it with PAYSTACK_BASE_URL. Not Paystack's:
 * GET /_emulator/log, POST /_emulator/transactions/:ref/refund-steps {"steps":[…]} and
 * POST /_emulator/transfers/outcome. Faults (a Set the caller may change while running):
 * `paystack` → every API call answers 500; `paystack-verify` → verify answers 500.
 * Simplified: JSON bodies only, one integration (NGN), one secret key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { httpOrigin, listen } from '../../ports';
import { HttpAnswer, parseJson, readText, sendHtml, sendJson } from './http';
import { checkoutPage, page, resultPage, returnUrl } from './pages';
import { createPayments } from './payments';
import type { RefundStep } from './rules';
import { createTransfers, TransferAnswer, type EmulatedTransfers } from './transfers';
import { createWebhooks, DEFAULT_WEBHOOK_RETRY_DELAYS_MS, type WebhookAttempt, type WebhookDelivery } from './webhooks';
import type { EmulatedTransaction, WebhookEvent } from './wire';

export { REFUND_STEPS, type RefundStep } from './rules';
export { DEFAULT_WEBHOOK_RETRY_DELAYS_MS, type WebhookAttempt, type WebhookDelivery } from './webhooks';
export type { EmulatedRefund, EmulatedTransaction, WebhookEvent } from './wire';

/** How many log lines GET /_emulator/log keeps. */
const RECENT_LOG_LINES = 20_000;

export const PAYSTACK_FAULTS = { all: 'paystack', verify: 'paystack-verify' } as const;

export interface PaystackEmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The key callers must send as `authorization: Bearer …`; also signs the webhooks. */
  secretKey: string;
  /** Where webhooks go; without it none are sent (the events are still recorded). */
  webhookUrl?: string;
  /** The base of authorization_url as the browser sees it. Default: the emulator's own URL. */
  publicUrl?: string;
  faults?: ReadonlySet<string>;
  /** Delays between webhook attempts after a non-200; the list's end is the last attempt. */
  retryDelaysMs?: readonly number[];
  /** Per webhook attempt. Default 10 s. */
  webhookTimeoutMs?: number;
  /** From a refund's creation to its refund.processed webhook. Default 500 ms. */
  refundDelayMs?: number;
  /** From a transfer's creation to its outcome (and transfer.* webhook). Default 500 ms. */
  transferDelayMs?: number;
  /** Also send refund.pending when a refund is created (Paystack does). Default false. */
  sendRefundPending?: boolean;
  /** One line per request and per webhook attempt; default: to stdout. `false` silences it. */
  log?: ((line: string) => void) | false;
}

export interface PaystackEmulator {
  url: string;
  port: number;
  /** By reference. The objects are live: they change as the emulator works. */
  transactions: ReadonlyMap<string, EmulatedTransaction>;
  /** Every webhook attempt, oldest first. */
  webhookAttempts: readonly WebhookAttempt[];
  /** Signs and sends an event (with retries); resolves when delivered or given up. */
  deliverWebhook(event: WebhookEvent): Promise<WebhookDelivery>;
  /** Sends the latest webhook of a transaction again, as Paystack sometimes does. */
  redeliver(reference: string): Promise<WebhookDelivery>;
  /** What the checkout form does, without a browser. Settling twice is a no-op. */
  settle(reference: string, outcome: 'success' | 'failed'): EmulatedTransaction;
  /**
   * The statuses the transaction's next refunds go through after `pending`, each sent as its
   * refund.* webhook (default: ['processed']). The last must end the refund.
   */
  setRefundSteps(reference: string, steps: readonly RefundStep[]): void;
  /** The Transfers API's state (recipients, transfers by reference) and test controls. */
  transfers: EmulatedTransfers;
  /**
   * Resolves once nothing is left to do: every webhook delivered or given up (retries
   * included), every queued refund processed and its webhook sent. What was sent by then is
   * all that was sent, so a test proves "no (further) webhook" here instead of by waiting.
   */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export const startPaystackEmulator = async (opts: PaystackEmulatorOptions): Promise<PaystackEmulator> => {
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults ?? new Set<string>();
  const retryDelaysMs = opts.retryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS;
  const webhookTimeoutMs = opts.webhookTimeoutMs ?? 10_000;
  const refundDelayMs = opts.refundDelayMs ?? 500;
  const print = opts.log === false ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`${line}\n`)));
  const recentLines: string[] = [];
  const log = (line: string) => {
    recentLines.push(line);
    if (recentLines.length > RECENT_LOG_LINES) recentLines.splice(0, recentLines.length - RECENT_LOG_LINES);
    print(line);
  };

  const timers = new Map<NodeJS.Timeout, () => void>();
  // Work still to finish (deliveries, queued refunds), for idle().
  const busy = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    busy.add(p);
    void p.finally(() => busy.delete(p)).catch(() => {});
    return p;
  };
  let stopped = false;
  let publicUrl = opts.publicUrl?.replace(/\/+$/, '') ?? '';

  const later = (ms: number, fn: () => void) => {
    let done!: () => void;
    void track(new Promise<void>((r) => (done = r)));
    const t = setTimeout(() => {
      timers.delete(t);
      try {
        if (!stopped) fn();
      } finally {
        done();
      }
    }, ms);
    timers.set(t, done);
  };

  const { webhookAttempts, deliverWebhook, ...webhooks } = createWebhooks({
    secretKey: opts.secretKey,
    ...(opts.webhookUrl ? { webhookUrl: opts.webhookUrl } : {}),
    retryDelaysMs,
    webhookTimeoutMs,
    log,
    track,
    stopped: () => stopped,
  });
  const transfers = createTransfers({
    faults,
    later: (ms, fn) => later(ms, fn),
    deliver: (event) => void deliverWebhook(event),
    log,
    delayMs: opts.transferDelayMs ?? 500,
  });
  const payments = createPayments({ later, deliverWebhook, log, refundDelayMs, ...(opts.sendRefundPending ? { sendRefundPending: true } : {}), publicUrl: () => publicUrl });
  const { transactions, byAccessCode, redeliver, settle, initialize, notFound, verify, refund, listRefunds, fetchRefund, setRefundSteps } = payments;

  const api = async (req: IncomingMessage, method: string, path: string, query: URLSearchParams): Promise<unknown> => {
    if (faults.has(PAYSTACK_FAULTS.all)) throw new HttpAnswer(500, 'An error occurred (emulated fault)');
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${opts.secretKey}`) throw new HttpAnswer(401, 'Invalid key');
    if (method === 'POST' && path === '/transaction/initialize') return initialize(parseJson(await readText(req)));
    if (method === 'POST' && path === '/refund') return refund(parseJson(await readText(req)));
    if (method === 'GET' && path === '/refund') return listRefunds(query);
    const refundMatch = /^\/refund\/(\d+)$/.exec(path);
    if (method === 'GET' && refundMatch) return fetchRefund(refundMatch[1]!);
    const verifyMatch = /^\/transaction\/verify\/([^/]+)$/.exec(path);
    if (method === 'GET' && verifyMatch) {
      if (faults.has(PAYSTACK_FAULTS.verify)) throw new HttpAnswer(500, 'An error occurred (emulated fault)');
      let reference: string;
      try {
        reference = decodeURIComponent(verifyMatch[1]!);
      } catch {
        throw notFound(404);
      }
      return verify(reference);
    }
    const transferAnswer = transfers.api(method, path, query, async () => parseJson(await readText(req)));
    if (transferAnswer) return await transferAnswer;
    throw new HttpAnswer(404, 'Not found');
  };

  const checkout = async (req: IncomingMessage, res: ServerResponse, method: string, accessCode: string) => {
    const t = byAccessCode.get(accessCode);
    if (!t) return sendHtml(res, 404, page('Not found', '<h1>This payment link is not valid</h1>'));
    if (method === 'GET') return sendHtml(res, 200, checkoutPage(t));
    if (method !== 'POST') return sendHtml(res, 405, page('Not allowed', '<h1>Method not allowed</h1>'));
    const text = await readText(req);
    const outcome = (req.headers['content-type'] ?? '').includes('application/json')
      ? (parseJson(text) as { outcome?: unknown }).outcome
      : new URLSearchParams(text).get('outcome');
    if (outcome !== 'success' && outcome !== 'failed') return sendHtml(res, 400, page('Bad request', '<h1>outcome must be success or failed</h1>'));
    settle(t.reference, outcome);
    const back = returnUrl(t);
    if (t.status === 'success' && back) {
      res.writeHead(302, { location: back, 'content-length': 0 });
      return res.end();
    }
    return sendHtml(res, 200, resultPage(t));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    res.on('finish', () => log(`paystack ${method} ${path} ${res.statusCode} ${Date.now() - started}ms`));
    try {
      if (method === 'GET' && path === '/_emulator/log') return sendJson(res, 200, { lines: recentLines });
      const checkoutMatch = /^\/checkout\/([A-Za-z0-9]+)$/.exec(path);
      if (checkoutMatch) return await checkout(req, res, method, checkoutMatch[1]!);
      const stepsMatch = /^\/_emulator\/transactions\/([A-Za-z0-9.=-]+)\/refund-steps$/.exec(path);
      if (stepsMatch && method === 'POST') {
        const { steps } = parseJson(await readText(req)) as { steps?: RefundStep[] };
        setRefundSteps(stepsMatch[1]!, steps ?? []);
        return sendJson(res, 200, { reference: stepsMatch[1], steps });
      }
      if (path === '/_emulator/transfers/outcome' && method === 'POST') return sendJson(res, 200, transfers.setOutcome(parseJson(await readText(req))));
      sendJson(res, 200, await api(req, method, path, new URLSearchParams((req.url ?? '').split('?')[1] ?? '')));
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpAnswer || e instanceof TransferAnswer) return sendJson(res, e.statusCode, { status: false, message: e.message, ...e.extra });
      log(`paystack error: ${(e as Error)?.stack ?? String(e)}`);
      sendJson(res, 500, { status: false, message: 'An error occurred' });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  const address = await listen(server, opts.port ?? 0, host, 'the Paystack emulator needs it (PAYSTACK_PORT)');
  const url = httpOrigin(address);
  if (!publicUrl) publicUrl = url;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>((resolve) => {
      stopped = true;
      for (const [t, done] of timers) {
        clearTimeout(t);
        done();
      }
      timers.clear();
      webhooks.stop();
      server.close(() => resolve());
      server.closeAllConnections();
    }));

  const idle = async () => {
    // A refund's timer sends its webhook when it fires: look again until nothing new started.
    while (busy.size > 0) await Promise.allSettled([...busy]);
  };

  return { url, port: address.port, transactions, webhookAttempts, deliverWebhook, redeliver, settle, setRefundSteps, transfers, idle, stop };
};
