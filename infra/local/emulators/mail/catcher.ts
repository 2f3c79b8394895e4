/**
 * The local stand-in for Amazon SES: speaks SES v2's SendEmail wire format (where
 * AWS_ENDPOINT_URL_SESV2 points the SDK) and keeps every message instead of sending it. Serves
 * them at GET / (a page), GET /messages[?to=] (JSON), /messages/{id}/html and
 * /messages/{id}/attachments/{index}. SES's simulator addresses (bounce@, complaint@
 * simulator.amazonses.com) are accepted, then `onEvent` gets the event SES would publish.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { simpleParser } from 'mailparser';
import { BodyTooLargeError, httpOrigin, listen, readBody } from '../../ports';

export const DEFAULT_MAIL_PORT = 3004;

/** SES's mailbox simulator: what a message to each address brings about. */
export const SIMULATOR = { bounce: 'bounce@simulator.amazonses.com', complaint: 'complaint@simulator.amazonses.com' } as const;

export interface CaughtAttachment {
  filename: string | null;
  contentType: string;
  size: number;
  content: Buffer;
}

export interface CaughtMessage {
  id: string;
  messageId: string;
  receivedAt: string;
  from: string;
  /** The envelope's recipients (Destination.ToAddresses, CcAddresses, BccAddresses). */
  to: string[];
  configurationSet: string | null;
  tags: Record<string, string>;
  subject: string;
  text: string;
  html: string;
  /** Header names in lower case, folded lines joined. */
  headers: Record<string, string>;
  attachments: CaughtAttachment[];
}

export interface MailCatcherOptions {
  port?: number;
  host?: string;
  /** What SES would publish for a simulator address (the local stack hands it to functions/email/sesEvents.ts). */
  onEvent?: (event: Record<string, unknown>) => Promise<void>;
  log?: ((line: string) => void) | false;
}

export interface MailCatcher {
  url: string;
  port: number;
  messages: CaughtMessage[];
  stop: () => Promise<void>;
}

/** A raw message may be up to 40 MB in SES; ours are a few KB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** SES's REST JSON error: the type in x-amzn-ErrorType, the text in `message`. */
const sesError = (res: ServerResponse, status: number, type: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ message }));
};

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
};

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: {
    Raw?: { Data?: string };
    Simple?: { Subject?: { Data?: string }; Body?: { Text?: { Data?: string }; Html?: { Data?: string } }; Headers?: { Name: string; Value: string }[] };
  };
  ConfigurationSetName?: string;
  EmailTags?: { Name: string; Value: string }[];
}

const headerMap = (lines: readonly { key: string; line: string }[]): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
    out[key.toLowerCase()] = out[key.toLowerCase()] ? `${out[key.toLowerCase()]}, ${value}` : value;
  }
  return out;
};

/** The event record SES publishes for a simulator address (the shape of its SNS messages). */
const simulatorEvent = (kind: 'Bounce' | 'Complaint', address: string, m: CaughtMessage): Record<string, unknown> => {
  const timestamp = new Date().toISOString();
  const mail = { timestamp: m.receivedAt, source: m.from, messageId: m.messageId, destination: m.to, tags: Object.fromEntries(Object.entries(m.tags).map(([k, v]) => [k, [v]])) };
  return kind === 'Bounce'
    ? {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
          timestamp,
          feedbackId: randomUUID(),
        },
        mail,
      }
    : { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: address }], timestamp, feedbackId: randomUUID(), complaintFeedbackType: 'abuse' }, mail };
};

export const startMailCatcher = async (opts: MailCatcherOptions = {}): Promise<MailCatcher> => {
  const messages: CaughtMessage[] = [];
  const log = opts.log === false ? () => undefined : (opts.log ?? ((line: string) => process.stdout.write(`[mail] ${line}\n`)));

  const accept = async (body: SendEmailRequest): Promise<CaughtMessage> => {
    const to = [...(body.Destination?.ToAddresses ?? []), ...(body.Destination?.CcAddresses ?? []), ...(body.Destination?.BccAddresses ?? [])];
    const base = {
      id: String(messages.length + 1),
      messageId: `local-${randomUUID()}`,
      receivedAt: new Date().toISOString(),
      to,
      configurationSet: body.ConfigurationSetName ?? null,
      tags: Object.fromEntries((body.EmailTags ?? []).map((t) => [t.Name, t.Value])),
    };
    if (body.Content?.Raw?.Data) {
      const parsed = await simpleParser(Buffer.from(body.Content.Raw.Data, 'base64'));
      return {
        ...base,
        from: body.FromEmailAddress ?? parsed.from?.text ?? '',
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
        headers: headerMap(parsed.headerLines),
        attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size, content: a.content })),
      };
    }
    const simple = body.Content?.Simple;
    return {
      ...base,
      from: body.FromEmailAddress ?? '',
      subject: simple?.Subject?.Data ?? '',
      text: simple?.Body?.Text?.Data ?? '',
      html: simple?.Body?.Html?.Data ?? '',
      headers: Object.fromEntries((simple?.Headers ?? []).map((h) => [h.Name.toLowerCase(), h.Value])),
      attachments: [],
    };
  };

  const send = async (req: IncomingMessage, res: ServerResponse) => {
    let body: SendEmailRequest;
    try {
      body = JSON.parse((await readBody(req, MAX_BODY_BYTES)).toString('utf8')) as SendEmailRequest;
    } catch (e) {
      if (e instanceof BodyTooLargeError) return sesError(res, 400, 'MessageRejected', 'Message too large');
      return sesError(res, 400, 'BadRequestException', 'The body is not valid JSON');
    }
    if (!body.FromEmailAddress) return sesError(res, 400, 'BadRequestException', 'FromEmailAddress is required');
    if (!body.Content?.Raw?.Data && !body.Content?.Simple) return sesError(res, 400, 'BadRequestException', 'Content must be Raw or Simple');
    const message = await accept(body);
    if (message.to.length === 0) return sesError(res, 400, 'BadRequestException', 'Destination has no recipient');
    messages.push(message);
    log(`${message.to.join(', ')}: ${message.subject}`);
    json(res, 200, { MessageId: message.messageId });
    for (const address of message.to) {
      const kind = address === SIMULATOR.bounce ? 'Bounce' : address === SIMULATOR.complaint ? 'Complaint' : undefined;
      if (kind && opts.onEvent) void opts.onEvent(simulatorEvent(kind, address, message)).catch((e: unknown) => log(`the ${kind} event was not handled: ${String(e)}`));
    }
  };

  const view = (m: CaughtMessage) => ({
    id: m.id,
    messageId: m.messageId,
    receivedAt: m.receivedAt,
    from: m.from,
    to: m.to,
    configurationSet: m.configurationSet,
    tags: m.tags,
    subject: m.subject,
    text: m.text,
    html: m.html,
    headers: m.headers,
    attachments: m.attachments.map((a, i) => ({ filename: a.filename, contentType: a.contentType, size: a.size, url: `/messages/${m.id}/attachments/${i}` })),
  });

  const page = () =>
    [
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail catcher</title>',
      '<style>body{font-family:Arial,sans-serif;margin:24px}td,th{padding:4px 10px;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}</style></head><body>',
      `<h1>Mail catcher</h1><p>${messages.length} message(s) sent through the local SES endpoint. JSON: <a href="/messages">/messages</a></p>`,
      '<table><tr><th>#</th><th>Received</th><th>To</th><th>Subject</th><th>Attachments</th></tr>',
      ...[...messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${m.id}</td><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td>` +
            `<td><a href="/messages/${m.id}/html">${escapeHtml(m.subject)}</a></td>` +
            `<td>${m.attachments.map((a, i) => `<a href="/messages/${m.id}/attachments/${i}">${escapeHtml(a.filename ?? a.contentType)}</a>`).join(' ')}</td></tr>`,
        ),
      '</table></body></html>',
    ].join('\n');

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'POST' && url.pathname === '/v2/email/outbound-emails') return send(req, res);
    if (req.method !== 'GET') return sesError(res, 404, 'NotFoundException', `No such operation: ${req.method} ${url.pathname}`);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page());
    }
    if (url.pathname === '/messages') {
      const to = url.searchParams.get('to')?.toLowerCase();
      return json(res, 200, messages.filter((m) => !to || m.to.some((t) => t.toLowerCase() === to)).map(view));
    }
    const message = parts[0] === 'messages' ? messages.find((m) => m.id === parts[1]) : undefined;
    if (message && parts.length === 3 && parts[2] === 'html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(message.html || `<pre>${escapeHtml(message.text)}</pre>`);
    }
    const attachment = message && parts.length === 4 && parts[2] === 'attachments' ? message.attachments[Number(parts[3])] : undefined;
    if (attachment) {
      res.writeHead(200, {
        'content-type': attachment.contentType,
        ...(attachment.filename ? { 'content-disposition': `attachment; filename="${attachment.filename.replace(/"/g, '')}"` } : {}),
      });
      return res.end(attachment.content);
    }
    json(res, 404, { message: 'Not found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`request failed: ${String(e)}`);
      if (!res.headersSent) sesError(res, 500, 'InternalFailure', 'The mail catcher failed');
      else res.end();
    });
  });
  const address = await listen(server, opts.port ?? 0, opts.host ?? '127.0.0.1', 'the mail catcher needs it (MAIL_PORT)');
  let stopping: Promise<void> | undefined;
  return {
    url: httpOrigin(address),
    port: address.port,
    messages,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
};
