/**
 * The Paystack emulator's Transfers API, in Paystack's wire format: banks, account resolve (an
 * account number starting with 000 does not resolve), transfer recipients, transfers
 * (idempotent by reference) and verify. A transfer ends after a short delay with its signed
 * transfer.* webhook: `success`, unless LOCAL_FAULTS or POST /_emulator/transfers/outcome (per
 * account: success | failed | reversed | rejected | held) says otherwise.
 */
import { randomBytes } from 'node:crypto';
import * as z from '../../../../shared/schemas/zod';

export const TRANSFER_FAULTS = { failed: 'paystack-transfer-failed', reversed: 'paystack-transfer-reversed' } as const;

export const TRANSFER_OUTCOMES = ['success', 'failed', 'reversed', 'rejected', 'held'] as const;
export type TransferOutcome = (typeof TRANSFER_OUTCOMES)[number];

const DOMAIN = 'test';
const INTEGRATION_ID = 100_001;

/** Enough banks for a form; codes are Paystack's. */
export const EMULATED_BANKS = [
  { id: 1, name: 'Access Bank', code: '044', slug: 'access-bank' },
  { id: 3, name: 'Ecobank Nigeria', code: '050', slug: 'ecobank-nigeria' },
  { id: 7, name: 'First Bank of Nigeria', code: '011', slug: 'first-bank-of-nigeria' },
  { id: 9, name: 'Guaranty Trust Bank', code: '058', slug: 'guaranty-trust-bank' },
  { id: 18, name: 'United Bank For Africa', code: '033', slug: 'united-bank-for-africa' },
  { id: 21, name: 'Zenith Bank', code: '057', slug: 'zenith-bank' },
] as const;

export interface EmulatedRecipient {
  id: number;
  code: string;
  name: string;
  accountNumber: string;
  bankCode: string;
  bankName: string;
  currency: string;
  createdAt: string;
}

export interface EmulatedTransfer {
  id: number;
  transferCode: string;
  reference: string;
  amount: number;
  currency: string;
  reason: string;
  recipient: EmulatedRecipient;
  status: 'pending' | 'success' | 'failed' | 'reversed';
  createdAt: string;
  updatedAt: string;
  /** The webhooks sent for it, oldest first. */
  events: { event: string; data: Record<string, unknown> }[];
}

export class TransferAnswer extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface TransfersContext {
  faults: ReadonlySet<string>;
  /** Runs `fn` after `ms` (tracked by the emulator's idle()). */
  later: (ms: number, fn: () => void) => void;
  /** Signs and sends a webhook (with the emulator's retries). */
  deliver: (event: { event: string; data: Record<string, unknown> }) => void;
  log: (line: string) => void;
  /** From a transfer's creation to its outcome. */
  delayMs: number;
}

const code = (prefix: string) => `${prefix}_${Array.from(randomBytes(15), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('')}`;

const invalid = (message: string) => new TransferAnswer(400, message, { type: 'validation_error', code: 'invalid_params' });

/** `TransferRecipientCreate`: type, name, account_number, bank_code required. */
const recipientBody = z.looseObject({
  type: z.enum(['nuban', 'ghipss', 'mobile_money', 'basa', 'authorization']),
  name: z.string().check(z.minLength(1)),
  account_number: z.string().check(z.minLength(1)),
  bank_code: z.string().check(z.minLength(1)),
  currency: z.optional(z.string()),
  description: z.optional(z.string()),
});

/** `TransferInitiate`: source, amount, recipient, reference (lowercase, -, _, at least 16) required. */
const transferBody = z.looseObject({
  source: z.literal('balance'),
  amount: z.number().check(z.int(), z.positive()),
  recipient: z.string().check(z.minLength(1)),
  reference: z.string().check(z.regex(/^[a-z0-9_-]{16,}$/, 'The reference should be a lowercase alphanumeric string with only -,_ symbols allowed (at least 16)')),
  reason: z.optional(z.string()),
  currency: z.optional(z.enum(['NGN', 'ZAR', 'KES', 'GHS'])),
});

const parse = <S extends z.ZodMiniType>(schema: S, body: unknown): z.output<S> => {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw invalid(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
};

export const createTransfers = (ctx: TransfersContext) => {
  const recipients = new Map<string, EmulatedRecipient>();
  const transfers = new Map<string, EmulatedTransfer>();
  const outcomes = new Map<string, TransferOutcome>();
  /** Transfers left pending on purpose (outcome `held`), by account number. */
  const held = new Map<string, EmulatedTransfer[]>();
  let nextId = 50_000_000;

  const bankOf = (bankCode: string) => EMULATED_BANKS.find((b) => b.code === bankCode);
  const accountName = (accountNumber: string) => `EMULATED ACCOUNT ${accountNumber.slice(-4)}`;

  const outcomeOf = (accountNumber: string): TransferOutcome =>
    outcomes.get(accountNumber) ?? (ctx.faults.has(TRANSFER_FAULTS.failed) ? 'failed' : ctx.faults.has(TRANSFER_FAULTS.reversed) ? 'reversed' : 'success');

  const recipientData = (r: EmulatedRecipient) => ({
    active: true,
    createdAt: r.createdAt,
    currency: r.currency,
    description: '',
    domain: DOMAIN,
    email: null,
    id: r.id,
    integration: INTEGRATION_ID,
    metadata: null,
    name: r.name,
    recipient_code: r.code,
    type: 'nuban',
    updatedAt: r.createdAt,
    is_deleted: false,
    isDeleted: false,
    details: { authorization_code: null, account_number: r.accountNumber, account_name: r.name, bank_code: r.bankCode, bank_name: r.bankName },
  });

  /** What POST /transfer answers (recipient as its id), and Verify and the webhooks (recipient expanded). */
  const transferData = (t: EmulatedTransfer, expanded: boolean) => ({
    amount: t.amount,
    createdAt: t.createdAt,
    currency: t.currency,
    domain: DOMAIN,
    failures: null,
    id: t.id,
    integration: INTEGRATION_ID,
    reason: t.reason,
    reference: t.reference,
    source: 'balance',
    source_details: null,
    status: t.status,
    titan_code: null,
    transfer_code: t.transferCode,
    transferred_at: t.status === 'success' ? t.updatedAt : null,
    updatedAt: t.updatedAt,
    recipient: expanded ? recipientData(t.recipient) : t.recipient.id,
    ...(expanded ? {} : { transfersessionid: [], transfertrials: [], request: t.id }),
  });

  const finish = (t: EmulatedTransfer, status: EmulatedTransfer['status']) => {
    t.status = status;
    t.updatedAt = new Date().toISOString();
    const event = { event: `transfer.${status}`, data: transferData(t, true) };
    t.events.push(event);
    ctx.log(`paystack transfer ${t.reference} → ${status}`);
    ctx.deliver(event);
  };

  const createTransfer = (body: unknown) => {
    const req = parse(transferBody, body);
    const existing = transfers.get(req.reference);
    // The reference is the idempotency key: the transfer made the first time, not a second one.
    if (existing) return { status: true, message: 'Transfer has been queued', data: transferData(existing, false) };
    const recipient = [...recipients.values()].find((r) => r.code === req.recipient);
    if (!recipient) throw new TransferAnswer(400, 'Recipient specified is invalid', { type: 'validation_error', code: 'invalid_recipient' });
    if (req.currency && req.currency !== recipient.currency) throw invalid('Currency does not match the recipient currency');
    const outcome = outcomeOf(recipient.accountNumber);
    if (outcome === 'rejected') throw new TransferAnswer(400, 'Recipient account is inactive', { type: 'validation_error', code: 'invalid_recipient' });
    const now = new Date().toISOString();
    const t: EmulatedTransfer = {
      id: nextId++,
      transferCode: code('TRF'),
      reference: req.reference,
      amount: req.amount,
      currency: recipient.currency,
      reason: req.reason ?? '',
      recipient,
      status: 'pending',
      createdAt: now,
      updatedAt: now,
      events: [],
    };
    transfers.set(t.reference, t);
    if (outcome === 'held') held.set(recipient.accountNumber, [...(held.get(recipient.accountNumber) ?? []), t]);
    else ctx.later(ctx.delayMs, () => finish(t, outcome));
    return { status: true, message: 'Transfer has been queued', data: transferData(t, false) };
  };

  const createRecipient = (body: unknown) => {
    const req = parse(recipientBody, body);
    const bank = bankOf(req.bank_code);
    if (!bank) throw invalid('Unknown bank code');
    const key = `${req.bank_code}:${req.account_number}`;
    // "A duplicate account number will lead to the retrieval of the existing record."
    const found = recipients.get(key);
    if (found) return { status: true, message: 'Transfer recipient created successfully', data: recipientData(found) };
    const r: EmulatedRecipient = {
      id: nextId++,
      code: code('RCP'),
      name: req.name,
      accountNumber: req.account_number,
      bankCode: bank.code,
      bankName: bank.name,
      currency: req.currency ?? 'NGN',
      createdAt: new Date().toISOString(),
    };
    recipients.set(key, r);
    return { status: true, message: 'Transfer recipient created successfully', data: recipientData(r) };
  };

  const resolve = (query: URLSearchParams) => {
    const accountNumber = query.get('account_number') ?? '';
    const bank = bankOf(query.get('bank_code') ?? '');
    if (!bank || !/^\d{10}$/.test(accountNumber) || accountNumber.startsWith('000')) {
      throw new TransferAnswer(422, 'Could not resolve account name. Check parameters or try again.', { type: 'validation_error', code: 'invalid_bank_code' });
    }
    return { status: true, message: 'Account number resolved', data: { account_number: accountNumber, account_name: accountName(accountNumber), bank_id: bank.id } };
  };

  const banks = (query: URLSearchParams) => {
    const currency = query.get('currency');
    const now = '2016-07-14T10:04:29.000Z';
    const data =
      currency && currency !== 'NGN'
        ? []
        : EMULATED_BANKS.map((b) => ({
            id: b.id,
            name: b.name,
            slug: b.slug,
            code: b.code,
            longcode: '',
            gateway: null,
            pay_with_bank: false,
            supports_transfer: true,
            available_for_direct_debit: false,
            active: true,
            is_deleted: false,
            country: 'Nigeria',
            currency: 'NGN',
            type: 'nuban',
            createdAt: now,
            updatedAt: now,
          }));
    return { status: true, message: 'Banks retrieved', data, meta: { next: null, previous: null, perPage: Number(query.get('perPage') ?? 50) } };
  };

  const verify = (reference: string) => {
    const t = transfers.get(reference);
    if (!t) throw new TransferAnswer(404, 'Transfer not found', { type: 'api_error', code: 'not_found' });
    return { status: true, message: 'Transfer retrieved', data: transferData(t, true) };
  };

  /** The Transfers API's answer, or undefined when the path is none of its. */
  const api = (method: string, path: string, query: URLSearchParams, body: () => Promise<unknown>): Promise<unknown> | undefined => {
    if (method === 'GET' && path === '/bank') return Promise.resolve(banks(query));
    if (method === 'GET' && path === '/bank/resolve') return Promise.resolve(resolve(query));
    if (method === 'POST' && path === '/transferrecipient') return body().then(createRecipient);
    if (method === 'POST' && path === '/transfer') return body().then(createTransfer);
    const verifyMatch = /^\/transfer\/verify\/([^/]+)$/.exec(path);
    if (method === 'GET' && verifyMatch) return Promise.resolve(verify(decodeURIComponent(verifyMatch[1]!)));
    return undefined;
  };

  /** The control endpoint: the next transfers to this account end so. */
  const setOutcome = (body: unknown) => {
    const parsed = z.strictObject({ accountNumber: z.string().check(z.regex(/^\d{10}$/)), outcome: z.enum(TRANSFER_OUTCOMES) }).safeParse(body);
    if (!parsed.success) throw new TransferAnswer(400, `Send {"accountNumber": "<10 digits>", "outcome": "${TRANSFER_OUTCOMES.join('|')}"}`);
    const { accountNumber, outcome } = parsed.data;
    outcomes.set(accountNumber, outcome);
    if (outcome === 'success' || outcome === 'failed' || outcome === 'reversed') {
      for (const t of held.get(accountNumber) ?? []) ctx.later(ctx.delayMs, () => finish(t, outcome));
      held.delete(accountNumber);
    }
    return parsed.data;
  };

  /** For tests: a transfer's status changed now (e.g. a paid one reversed later), with its webhook. */
  const settle = (reference: string, status: 'success' | 'failed' | 'reversed') => {
    const t = transfers.get(reference);
    if (!t) throw new Error(`Unknown transfer ${reference}`);
    finish(t, status);
    return t;
  };

  return { api, setOutcome, settle, transfers: transfers as ReadonlyMap<string, EmulatedTransfer>, recipients: recipients as ReadonlyMap<string, EmulatedRecipient> };
};

export type EmulatedTransfers = ReturnType<typeof createTransfers>;
