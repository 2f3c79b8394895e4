/** The checkout pages a payer sees: "Pay" and "Fail" buttons, then the result and the way back. */
import type { EmulatedTransaction } from './wire';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const formatMoney = (amount: number, currency: string): string => `${currency} ${(amount / 100).toFixed(2)}`;

const withQuery = (url: string, params: Record<string, string>): string => {
  try {
    const u = new URL(url);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    return u.toString();
  } catch {
    return url;
  }
};

export const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>` +
  '<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.4rem;margin-right:.6rem}</style>' +
  `</head><body><p><small>Paystack (local emulator)</small></p>${body}</body></html>`;

export const checkoutPage = (t: EmulatedTransaction): string => {
  if (t.status === 'abandoned' || t.status === 'ongoing') {
    return page(
      'Pay',
      `<h1>Pay ${escapeHtml(formatMoney(t.amount, t.currency))}</h1><p>${escapeHtml(t.email)}</p><p><small>Reference ${escapeHtml(t.reference)}</small></p>` +
        `<form method="post"><button name="outcome" value="success">Pay</button><button name="outcome" value="failed">Fail</button></form>`,
    );
  }
  return resultPage(t);
};

export const returnUrl = (t: EmulatedTransaction): string | undefined =>
  t.callbackUrl === undefined ? undefined : withQuery(t.callbackUrl, { trxref: t.reference, reference: t.reference });

export const resultPage = (t: EmulatedTransaction): string => {
  const back = returnUrl(t);
  return page(
    t.status === 'success' ? 'Payment successful' : 'Payment not completed',
    `<h1>${t.status === 'success' ? 'Payment successful' : `Payment ${escapeHtml(t.status)}`}</h1>` +
      `<p>${escapeHtml(formatMoney(t.amount, t.currency))} · ${escapeHtml(t.reference)}</p>` +
      (back ? `<p><a href="${escapeHtml(back)}">Return to ${escapeHtml(t.callbackUrl!)}</a></p>` : ''),
  );
};
