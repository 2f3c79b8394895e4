/** Payouts' requests and responses: banks, the payout account, withdrawals (shared/usecases/payouts.ts). */
import { WITHDRAWAL_STATUSES } from '../domain/withdrawal';
import { CURRENCIES } from '../domain/money';
import { integer, moneyResponse, pageOf, pageQuery, timestamp } from './common';
import { accountNumber, bankCode } from './paystack';
import * as z from './zod';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const banksQuery = z.strictObject({ currency: z._default(z.enum(['NGN']), 'NGN') });

export const bankResponse = z.strictObject({ code: z.string(), name: z.string() });
/** GET /banks. */
export const banksResponse = z.strictObject({ items: z.array(bankResponse) });

export const payoutAccountBody = z.strictObject({
  bankCode,
  accountNumber: accountNumber.check(z.describe('The NUBAN: 10 digits. Never stored whole nor echoed')),
});

/** GET/PUT /me/payout-account: where withdrawals go, as its bank named it. */
export const payoutAccountResponse = z.strictObject({
  bankCode: z.string(),
  bankName: z.string(),
  accountNumberLast4: z.string(),
  accountName: z.string().check(z.describe('The account holder’s name as the bank has it (resolved through Paystack)')),
  currency: z.enum(CURRENCIES),
  updatedAt: timestamp,
});

export const withdrawalBody = z.strictObject({
  amount: integer(z.positive('Must be more than zero'), z.maximum(1_000_000_000_00)).check(z.describe('Minor units (kobo), at least WITHDRAWAL_MINIMUM')),
});

export const withdrawalIdPath = z.strictObject({ withdrawalId: z.string().check(z.regex(ULID, 'Must be a withdrawal id')) });

export const withdrawalResponse = z.strictObject({
  withdrawalId: z.string(),
  reference: z.string().check(z.describe('The transfer’s Paystack reference')),
  amount: moneyResponse,
  status: z
    .enum(WITHDRAWAL_STATUSES)
    .check(
      z.describe(
        'PENDING: debited, the transfer not yet taken by Paystack; PROCESSING: Paystack took it, the outcome awaited; SUCCEEDED: paid; FAILED, REVERSED: the money went back to the available balance',
      ),
    ),
  failureReason: z.optional(z.string()),
  bankName: z.string(),
  accountNumberLast4: z.string(),
  retryOf: z.optional(z.string().check(z.describe('The failed withdrawal an admin retried with this one'))),
  retriedAs: z.optional(z.string().check(z.describe('The withdrawal an admin retried this one with'))),
  createdAt: timestamp,
  updatedAt: timestamp,
  settledAt: z.optional(timestamp),
});

/** GET /me/withdrawals. */
export const withdrawalsResponse = pageOf(withdrawalResponse);

export const adminWithdrawalResponse = z.extend(withdrawalResponse, {
  tutorId: z.string(),
  attempts: z.optional(integer(z.minimum(0)).check(z.describe('Requests to Paystack that failed with no known outcome so far'))),
  lastError: z.optional(z.string()),
});
/** GET /admin/withdrawals. */
export const adminWithdrawalsResponse = pageOf(adminWithdrawalResponse);

export const myWithdrawalsQuery = z.strictObject(pageQuery);
export const adminWithdrawalsQuery = z.strictObject({ ...pageQuery, status: z._default(z.enum(WITHDRAWAL_STATUSES), 'PENDING') });
