/** The emulator's HTTP plumbing: Zoom's error answers, bodies in and out, and the small helpers its parts share. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../../ports';

const MAX_BODY_BYTES = 1024 * 1024;

export class HttpAnswer extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** Zoom's error code; the token endpoint's errors are `{ reason, error }` instead. */
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const apiError = (status: number, code: number, message: string) => new HttpAnswer(status, message, { code, message });
export const oauthError = (status: number, error: string, reason: string) => new HttpAnswer(status, reason, { reason, error });

export const readText = async (req: IncomingMessage): Promise<string> => {
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (e) {
    throw e instanceof BodyTooLargeError ? apiError(413, 300, 'Request body too large') : e;
  }
};

export const token = (bytes: number) => randomBytes(bytes).toString('base64url');

export const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const utc = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw apiError(400, 300, 'Request Body should be a valid JSON object.');
  }
};

export const invalid = (error: { issues: { path: PropertyKey[]; message: string }[] }) => {
  const issue = error.issues[0]!;
  return apiError(400, 300, `Validation Failed. ${issue.path.map(String).join('.') || 'body'}: ${issue.message}`);
};

export const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': 0 });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
