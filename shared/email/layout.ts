/**
 * The one layout every email shares, as plain text and as HTML. Everything that came from
 * users (titles, names, reasons) is escaped here and nowhere else.
 */
import type { EmailContent } from './templates';

export interface Footer {
  /** Why they got it, and where to change that. */
  preferencesUrl: string;
  /** Optional kinds only: the web client's page that switches this kind off (a browser opens it with GET; the page POSTs). */
  unsubscribeUrl: string | null;
}

export const PRODUCT_NAME = 'Mentorship';

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export const renderText = (c: EmailContent, footer: Footer): string =>
  [
    c.heading,
    '',
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...c.facts.map(([label, value]) => `${label}: ${value}`),
    '',
    `${c.action.label}: ${c.action.url}`,
    '',
    '--',
    `${PRODUCT_NAME}. Email preferences: ${footer.preferencesUrl}`,
    ...(footer.unsubscribeUrl ? [`Unsubscribe from these emails: ${footer.unsubscribeUrl}`] : []),
    '',
  ].join('\n');

export const renderHtml = (c: EmailContent, footer: Footer): string => {
  const e = escapeHtml;
  const link = (url: string, text: string, style = '') => `<a href="${e(url)}"${style ? ` style="${style}"` : ''}>${e(text)}</a>`;
  const rows = c.facts
    .map(([label, value]) => {
      const shown = /^https?:\/\//.test(value) ? link(value, value) : e(value);
      return `<tr><td style="padding:4px 12px 4px 0;color:#555;vertical-align:top">${e(label)}</td><td style="padding:4px 0">${shown}</td></tr>`;
    })
    .join('');
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(c.subject)}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f6f6f6;font-family:Arial,Helvetica,sans-serif;color:#222">',
    '<div style="max-width:560px;margin:0 auto;background:#fff;padding:24px;border-radius:8px">',
    `<h1 style="font-size:20px;margin:0 0 16px">${e(c.heading)}</h1>`,
    ...c.paragraphs.map((p) => `<p style="margin:0 0 12px;line-height:1.5">${e(p)}</p>`),
    rows ? `<table role="presentation" style="border-collapse:collapse;margin:8px 0 20px;font-size:14px">${rows}</table>` : '',
    `<p style="margin:0 0 8px">${link(c.action.url, c.action.label, 'display:inline-block;background:#1a56db;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none')}</p>`,
    '</div>',
    '<p style="max-width:560px;margin:16px auto 0;font-size:12px;color:#777;line-height:1.5">',
    `${PRODUCT_NAME}. ${link(footer.preferencesUrl, 'Email preferences')}`,
    footer.unsubscribeUrl ? ` · ${link(footer.unsubscribeUrl, 'Unsubscribe from these emails')}` : '',
    '</p>',
    '</body></html>',
  ].join('\n');
};
