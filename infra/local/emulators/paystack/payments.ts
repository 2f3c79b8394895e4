/**
 * Transactions and refunds: initialize, verify, refund (`pending`, then by default `processed`;
 * `setRefundSteps` sends the next refunds of a transaction through other documented statuses,
 * each as its refund.* webhook), list and fetch refunds, and settling a checkout.
 */
import { HttpAnswer, randomCode } from './http';
import { INTEGRATION_CURRENCY, initializeBody, refundBody, refundSteps, type RefundStep } from './rules';
import type { WebhookDelivery } from './webhooks';
import { paid, refundData, refundEventData, refundRecord, transactionData, type EmulatedRefund, type EmulatedTransaction, type WebhookEvent } from './wire';

export interface PaymentsOptions {
  /** Runs `fn` after `ms`, unless the emulator stopped meanwhile. */
  later: (ms: number, fn: () => void) => void;
  deliverWebhook: (event: WebhookEvent) => Promise<WebhookDelivery>;
  log: (line: string) => void;
  refundDelayMs: number;
  sendRefundPending?: boolean;
  /** The base of authorization_url as the browser sees it. */
  publicUrl: () => string;
}

export const createPayments = (opts: PaymentsOptions) => {
  const { later, deliverWebhook, log, refundDelayMs } = opts;
  const transactions = new Map<string, EmulatedTransaction>();
  const byAccessCode = new Map<string, EmulatedTransaction>();
  let nextId = 4_000_000_000 + Math.floor(Math.random() * 1_000_000);
  let nextCustomerId = 200_000_000;
  let nextRefundId = 10_000_000;

  const send = (t: EmulatedTransaction, event: WebhookEvent): void => {
    t.events.push(event);
    void deliverWebhook(event);
  };

  const redeliver = (reference: string): Promise<WebhookDelivery> => {
    const t = transactions.get(reference);
    const event = t?.events.at(-1);
    if (!event) return Promise.reject(new Error(`No webhook was sent for ${reference}`));
    return deliverWebhook(event);
  };

  // ---------------------------------------------------------------- transactions

  const settle = (reference: string, outcome: 'success' | 'failed'): EmulatedTransaction => {
    const t = transactions.get(reference);
    if (!t) throw new Error(`Unknown transaction ${reference}`);
    if (t.status !== 'abandoned' && t.status !== 'ongoing') return t;
    if (outcome === 'success') {
      t.status = 'success';
      t.paidAt = new Date().toISOString();
      t.gatewayResponse = 'Successful';
      send(t, { event: 'charge.success', data: transactionData(t) });
    } else {
      // Paystack sends no webhook for a declined card: the customer may try again on checkout.
      t.status = 'failed';
      t.gatewayResponse = 'Declined';
    }
    return t;
  };

  const initialize = (body: unknown) => {
    const parsed = initializeBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpAnswer(400, `${issue.path.join('.') || 'body'}: ${issue.message}`, { type: 'validation_error', code: 'invalid_params' });
    }
    const req = { ...parsed.data, reference: parsed.data.reference ?? randomCode(10) };
    if (transactions.has(req.reference)) {
      throw new HttpAnswer(400, 'Duplicate Transaction Reference', {
        meta: { nextStep: 'Try and create the Transaction or Charge with a new reference' },
        type: 'validation_error',
        code: 'duplicate_reference',
      });
    }
    const t: EmulatedTransaction = {
      id: nextId++,
      reference: req.reference,
      accessCode: randomCode(15),
      email: req.email,
      amount: req.amount,
      currency: req.currency ?? INTEGRATION_CURRENCY,
      ...(req.metadata ? { metadata: req.metadata } : {}),
      ...(req.callback_url ? { callbackUrl: req.callback_url } : {}),
      ...(req.subaccount ? { subaccount: req.subaccount } : {}),
      ...(req.bearer ? { bearer: req.bearer } : {}),
      // What Verify reports for an initialized transaction nobody has paid.
      status: 'abandoned',
      gatewayResponse: 'The transaction was not completed',
      createdAt: new Date().toISOString(),
      paidAt: null,
      customerId: nextCustomerId++,
      customerCode: `CUS_${randomCode(15)}`,
      refunds: [],
      events: [],
    };
    transactions.set(t.reference, t);
    byAccessCode.set(t.accessCode, t);
    return {
      status: true,
      message: 'Authorization URL created',
      data: { authorization_url: `${opts.publicUrl()}/checkout/${t.accessCode}`, access_code: t.accessCode, reference: t.reference },
    };
  };

  /** Verify's answer is 404 (Paystack's description); refund's 400 (it documents none). */
  const notFound = (status: 400 | 404) =>
    new HttpAnswer(status, 'Transaction reference not found', {
      meta: { nextStep: "Ensure that you're passing the reference of a transaction that exists on this integration" },
      type: 'validation_error',
      code: 'transaction_not_found',
    });

  const verify = (reference: string) => {
    const t = transactions.get(reference);
    if (!t) throw notFound(404);
    return { status: true, message: 'Verification successful', data: transactionData(t) };
  };

  const findTransaction = (idOrReference: string): EmulatedTransaction | undefined =>
    transactions.get(idOrReference) ?? (/^\d+$/.test(idOrReference) ? [...transactions.values()].find((t) => String(t.id) === idOrReference) : undefined);

  const refund = (body: unknown) => {
    const parsed = refundBody.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpAnswer(400, `${issue.path.join('.') || 'body'}: ${issue.message}`, { type: 'validation_error', code: 'invalid_params' });
    }
    const req = parsed.data;
    log(`paystack refund requested for ${req.transaction}`);
    const t = findTransaction(req.transaction);
    if (!t) throw notFound(400);
    if (!paid(t)) throw new HttpAnswer(400, 'Cannot refund a transaction that has not been paid', { type: 'validation_error' });
    if (req.currency && req.currency !== t.currency) throw new HttpAnswer(400, 'Currency does not match the transaction currency', { type: 'validation_error' });
    const refunded = t.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
    const remaining = t.amount - refunded;
    if (remaining <= 0) throw new HttpAnswer(400, 'Transaction has been fully reversed', { type: 'validation_error' });
    const amount = req.amount ?? remaining;
    if (amount > remaining) throw new HttpAnswer(400, 'Refund amount cannot be more than the unrefunded transaction amount', { type: 'validation_error' });
    const now = new Date().toISOString();
    const r: EmulatedRefund = {
      id: nextRefundId++,
      amount,
      currency: t.currency,
      status: 'pending',
      refundReference: null,
      merchantNote: req.merchant_note ?? `Refund for transaction ${t.reference} by emulator@example.com`,
      customerNote: req.customer_note ?? `Refund for transaction ${t.reference}`,
      createdAt: now,
      updatedAt: now,
    };
    t.refunds.push(r);
    const answer = { status: true, message: 'Refund has been queued for processing', data: refundData(t, r) };
    if (opts.sendRefundPending) send(t, { event: 'refund.pending', data: refundEventData(t, r) });
    const steps = refundStepsOf.get(t.reference) ?? ['processed'];
    const step = (i: number) =>
      later(refundDelayMs, () => {
        r.status = steps[i]!;
        if (r.status !== 'processing') r.refundReference ??= `RF${randomCode(12).toUpperCase()}`;
        r.updatedAt = new Date().toISOString();
        if (t.refunds.filter((x) => x.status === 'processed').reduce((sum, x) => sum + x.amount, 0) >= t.amount) t.status = 'reversed';
        send(t, { event: `refund.${r.status}`, data: refundEventData(t, r) });
        if (i + 1 < steps.length) step(i + 1);
      });
    step(0);
    return answer;
  };

  const allRefunds = () => [...transactions.values()].flatMap((t) => t.refunds.map((r) => ({ t, r })));

  const listRefunds = (query: URLSearchParams) => {
    const time = (name: string) => {
      const v = query.get(name);
      if (v === null) return undefined;
      if (Number.isNaN(Date.parse(v))) throw new HttpAnswer(400, `${name} must be a date-time`, { type: 'validation_error' });
      return Date.parse(v);
    };
    const count = (name: string, fallback: number) => {
      const v = query.get(name);
      if (v === null) return fallback;
      if (!/^[1-9]\d*$/.test(v)) throw new HttpAnswer(400, `${name} must be a positive integer`, { type: 'validation_error' });
      return Number(v);
    };
    const [from, to, perPage, pageNo] = [time('from'), time('to'), count('perPage', 50), count('page', 1)];
    const matching = allRefunds()
      .filter(({ r }) => (from === undefined || Date.parse(r.createdAt) >= from) && (to === undefined || Date.parse(r.createdAt) <= to))
      .sort((a, b) => b.r.id - a.r.id);
    const pageCount = Math.max(1, Math.ceil(matching.length / perPage));
    const data = matching.slice((pageNo - 1) * perPage, pageNo * perPage).map(({ t, r }) => refundRecord(t, r));
    const failedRefundCount = matching.filter(({ r }) => r.status === 'failed').length;
    return {
      status: true,
      message: 'Refunds retrieved',
      data,
      meta: { total: matching.length, skipped: (pageNo - 1) * perPage, perPage: String(perPage), page: pageNo, pageCount, failedRefundCount },
    };
  };

  const fetchRefund = (id: string) => {
    const found = allRefunds().find(({ r }) => String(r.id) === id);
    if (!found) throw new HttpAnswer(404, 'Refund not found', { type: 'api_error', code: 'not_found' });
    return { status: true, message: 'Refund retrieved', data: refundRecord(found.t, found.r) };
  };

  const refundStepsOf = new Map<string, readonly RefundStep[]>();
  const setRefundSteps = (reference: string, steps: readonly RefundStep[]): void => {
    if (!transactions.has(reference)) throw new HttpAnswer(404, `Unknown transaction ${reference}`);
    const parsed = refundSteps.safeParse(steps);
    if (!parsed.success) throw new HttpAnswer(400, `steps: ${parsed.error.issues[0]!.message}`);
    refundStepsOf.set(reference, parsed.data);
  };

  return { transactions, byAccessCode, redeliver, settle, initialize, notFound, verify, refund, listRefunds, fetchRefund, setRefundSteps };
};
