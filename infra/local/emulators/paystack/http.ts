/** The emulator's HTTP plumbing: Paystack's error answer, bodies in and out. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../../ports';

const MAX_BODY_BYTES = 1024 * 1024;

export class HttpAnswer extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const randomCode = (length: number): string => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
};

export const readText = async (req: IncomingMessage): Promise<string> => {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? new HttpAnswer(413, 'Request body too large') : e;
  }
};

export const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
export const sendHtml = (res: ServerResponse, status: number, html: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
};

export const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new HttpAnswer(400, 'Invalid JSON body');
  }
};
