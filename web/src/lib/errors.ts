/** The API's error envelope, and what a person reads when a call fails. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds the error from a failed response's body (the envelope, or whatever came instead). */
export const apiErrorFrom = (status: number, body: unknown): ApiError => {
  const envelope = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof envelope?.code === 'string' ? envelope.code : status === 0 ? 'NETWORK' : `HTTP_${status}`;
  const message = typeof envelope?.message === 'string' ? envelope.message : '';
  const details = Array.isArray(envelope?.details)
    ? envelope.details
        .filter((d): d is ErrorDetail => typeof (d as ErrorDetail | null)?.message === 'string')
        .map((d) => ({ path: typeof d.path === 'string' ? d.path : '', message: d.message }))
    : [];
  return new ApiError(status, code, message, details);
};

const LEAD: Record<string, string> = {
  VALIDATION_FAILED: 'Please check what you entered.',
  UNAUTHORIZED: 'Your sign-in has expired. Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'We could not find that.',
  INVALID_STATE: 'That can no longer be done: the session has changed.',
  SLOT_UNAVAILABLE: 'That time is no longer available.',
  PAYLOAD_TOO_LARGE: 'That is too long to send.',
  RATE_LIMITED: 'Too many attempts. Please wait a moment and try again.',
  NETWORK: 'We could not reach the server. Check your connection and try again.',
};

/**
 * Codes whose words say all a person needs: the server's message, written for developers
 * (minor units, references), is left out.
 */
const OWN_WORDS: Record<string, string> = {
  BELOW_MINIMUM: 'That amount is below the minimum withdrawal. Please withdraw a larger amount.',
  INSUFFICIENT_BALANCE: 'That is more than your available balance. Please withdraw at most what is available.',
  NO_PAYOUT_ACCOUNT: 'Add a payout account first: withdrawals are paid into it.',
  WITHDRAWAL_IN_FLIGHT: 'A withdrawal is still on its way to your bank. Please try again once it has settled.',
  ACCOUNT_NOT_RESOLVED: 'The bank could not find that account. Please check the bank and the account number.',
  PAYOUT_ACCOUNT_NOT_FOUND: 'You have no payout account yet.',
};

/** A field path from the API ("body.title") as a person reads it ("title"). */
const fieldName = (path: string): string => path.replace(/^(body|query|path)\./, '');

/**
 * The words shown in place of a failed action: what happened in general, then the server's
 * own message and each field's problem.
 */
export const describeError = (error: unknown): string => {
  if (!(error instanceof ApiError)) return error instanceof Error && error.message ? error.message : 'Something went wrong. Please try again.';
  const own = OWN_WORDS[error.code];
  if (own) return own;
  const lead = LEAD[error.code] ?? (error.status >= 500 ? 'Something went wrong on our side. Please try again.' : 'That did not work.');
  const parts = [lead];
  if (error.message && error.message !== lead) parts.push(error.message.endsWith('.') ? error.message : `${error.message}.`);
  for (const d of error.details) parts.push(d.path ? `${fieldName(d.path)}: ${d.message}` : d.message);
  return parts.join(' ');
};
