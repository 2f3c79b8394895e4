/**
 * Amazon SES (v2 API), SendEmail with raw MIME content. Locally AWS_ENDPOINT_URL_SESV2 points
 * the client at the mail catcher (infra/local/emulators/mail/catcher.ts), which speaks the same wire format.
 *
 * SES has no idempotency key: a SendEmail that reached SES and whose answer was lost cannot
 * be told apart from one that never arrived, and repeating it may deliver the message twice.
 * So the client never retries by itself (maxAttempts 1); the caller decides, knowing which
 * failures prove the message was not accepted (`notSent`).
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';

export interface RawEmail {
  from: string;
  to: string;
  raw: Buffer;
  configurationSet: string | undefined;
  /** Message tags (SES event records carry them back): letters, digits, _ and - only. */
  tags: Record<string, string>;
}

export type SendRawEmail = (email: RawEmail) => Promise<{ messageId: string }>;

/** Within a stream consumer's timeout, with room for the writes around it. */
export const SES_TIMEOUT_MS = 10_000;

let client: SESv2Client | undefined;
const ses = () => (client ??= new SESv2Client({ maxAttempts: 1, requestHandler: { connectionTimeout: 3_000, requestTimeout: SES_TIMEOUT_MS } }));

export const sendRawEmail: SendRawEmail = async (email) => {
  const out = await ses().send(
    new SendEmailCommand({
      FromEmailAddress: email.from,
      Destination: { ToAddresses: [email.to] },
      Content: { Raw: { Data: email.raw } },
      ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
      EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return { messageId: out.MessageId ?? '' };
};

/** Errors that arrive before anything could reach SES: the connection was never made. */
const UNSENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * True when the failure proves SES did not accept the message: SES answered with an error
 * (any HTTP status: it refused it, throttled us, or failed before taking it), or no
 * connection was ever made. A timeout or a connection dropped mid-request proves nothing.
 */
export const notSent = (e: unknown): boolean => {
  const err = e as { $metadata?: { httpStatusCode?: number }; $response?: unknown; code?: string; cause?: { code?: string } };
  if (typeof err?.$metadata?.httpStatusCode === 'number') return true;
  const code = err?.code ?? err?.cause?.code;
  return typeof code === 'string' && UNSENT_CODES.has(code);
};
