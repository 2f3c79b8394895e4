/**
 * Paystack's own published webhook samples, as its documentation prints them (field for
 * field, odd values included: `"metadata": 0`, amounts as digit strings in refund events).
 * Our parser must take every one of them; tests that drive a handler copy a sample and put
 * in a reference of ours (`withReference`).
 */

export const CHARGE_SUCCESS_SAMPLE = {
  event: 'charge.success',
  data: {
    id: 302961,
    domain: 'live',
    status: 'success',
    reference: 'qTPrJoy9Bx',
    amount: 10000,
    message: null,
    gateway_response: 'Approved by Financial Institution',
    paid_at: '2016-09-30T21:10:19.000Z',
    created_at: '2016-09-30T21:09:56.000Z',
    channel: 'card',
    currency: 'NGN',
    ip_address: '41.242.49.37',
    metadata: 0,
    log: {
      time_spent: 16,
      attempts: 1,
      authentication: 'pin',
      errors: 0,
      success: false,
      mobile: false,
      input: [],
      channel: null,
      history: [
        { type: 'input', message: 'Filled these fields: card number, card expiry, card cvv', time: 15 },
        { type: 'action', message: 'Attempted to pay', time: 15 },
        { type: 'auth', message: 'Authentication Required: pin', time: 16 },
      ],
    },
    fees: null,
    customer: {
      id: 68324,
      first_name: 'BoJack',
      last_name: 'Horseman',
      email: 'bojack@horseman.com',
      customer_code: 'CUS_qo38as2hpsgk2r0',
      phone: null,
      metadata: null,
      risk_action: 'default',
    },
    authorization: {
      authorization_code: 'AUTH_f5rnfq9p',
      bin: '539999',
      last4: '8877',
      exp_month: '08',
      exp_year: '2020',
      card_type: 'mastercard DEBIT',
      bank: 'Guaranty Trust Bank',
      country_code: 'NG',
      brand: 'mastercard',
      account_name: 'BoJack Horseman',
    },
    plan: {},
  },
} as const;

const refundCustomer = { first_name: 'Drew', last_name: 'Berry', email: 'demo@email.com' };

/** The refund.* samples: pending, processing and processed carry `amount` as a string. */
export const REFUND_EVENT_SAMPLES = {
  'refund.pending': {
    event: 'refund.pending',
    data: {
      status: 'pending',
      transaction_reference: 'tvunjbbd_412829_4b18075d_c7had',
      refund_reference: null,
      amount: '10000',
      currency: 'NGN',
      processor: 'instant-transfer',
      customer: refundCustomer,
      integration: 412829,
      domain: 'live',
    },
  },
  'refund.processing': {
    event: 'refund.processing',
    data: {
      status: 'processing',
      transaction_reference: 'tvunjbbd_412829_4b18075d_c7had',
      refund_reference: null,
      amount: '10000',
      currency: 'NGN',
      processor: 'instant-transfer',
      customer: refundCustomer,
      integration: 412829,
      domain: 'live',
    },
  },
  'refund.processed': {
    event: 'refund.processed',
    data: {
      status: 'processed',
      transaction_reference: 'T2154954_412829_3be32076_6lcg3',
      refund_reference: '132013318360',
      amount: '5000',
      currency: 'NGN',
      processor: 'mpgs_zen',
      customer: { first_name: 'Damilola', last_name: 'Kwabena', email: 'damilola@email.com' },
      integration: 412829,
      domain: 'live',
    },
  },
  'refund.failed': {
    event: 'refund.failed',
    data: {
      status: 'failed',
      transaction_reference: 'T9171231_412325_3be2736c_n6tml',
      refund_reference: 'TRF_9vgfawjnoz58uxy',
      amount: 20000,
      currency: 'NGN',
      processor: 'instant-transfer',
      customer: { first_name: 'Tobi', last_name: 'Digz', email: 'tobi@mail.com' },
      integration: 412325,
      domain: 'live',
    },
  },
  'refund.needs-attention': {
    event: 'refund.needs-attention',
    data: {
      status: 'needs-attention',
      transaction_reference: '88bfa94509eb96aa9785641c26cc57cc',
      refund_reference: 'TRF_7jn17u9vkqm91efk',
      amount: 5306,
      currency: 'NGN',
      customer: { first_name: null, last_name: null, email: 'customer@email.com' },
      integration: 123456,
      domain: 'live',
      id: '123456',
      customer_note: 'Refund for transaction 88bfa94509eb96aa9785641c26cc57cc',
      merchant_note: 'Refund for transaction 88bfa94509eb96aa9785641c26cc57cc by paystack@email.com',
    },
  },
} as const;

/** A deep copy of a sample whose data names our transaction (and, when given, our amount and currency). */
export const withReference = (
  sample: { event: string; data: object },
  fields: { reference: string; amount?: number; currency?: string },
): { event: string; data: Record<string, unknown> } => {
  const data = JSON.parse(JSON.stringify(sample.data)) as Record<string, unknown>;
  if ('transaction_reference' in data) data.transaction_reference = fields.reference;
  else data.reference = fields.reference;
  if (fields.amount !== undefined) data.amount = typeof data.amount === 'string' ? String(fields.amount) : fields.amount;
  if (fields.currency !== undefined) data.currency = fields.currency;
  return { event: sample.event, data };
};
