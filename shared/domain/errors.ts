/**
 * Typed errors that domain code and repositories throw. Only the HTTP error middleware turns
 * them into responses, so every status code and machine-readable `code` lives here.
 */
export interface ErrorDetail {
  path: string;
  message: string;
}

export abstract class HttpError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details?: ErrorDetail[];

  constructor(message: string, details?: ErrorDetail[]) {
    super(message);
    this.name = new.target.name;
    if (details) this.details = details;
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}

export class ValidationError extends HttpError {
  readonly statusCode = 400;
  readonly code = 'VALIDATION_FAILED';
}

export class UnauthorizedError extends HttpError {
  readonly statusCode = 401;
  readonly code = 'UNAUTHORIZED';
  constructor(message = 'A valid bearer token is required') {
    super(message);
  }
}

export class ForbiddenError extends HttpError {
  readonly statusCode = 403;
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class NotFoundError extends HttpError {
  readonly statusCode = 404;
  readonly code = 'NOT_FOUND';
}

/** 409: the session is not in a state that allows this (also a lost race). */
export class InvalidStateError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'INVALID_STATE';
}

/** 409: overlaps an active booking of the tutor, or lies outside the tutor's availability. */
export class SlotUnavailableError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'SLOT_UNAVAILABLE';
  constructor(message = 'The tutor is not available at that time') {
    super(message);
  }
}

/** 409: the session is not booked (not paid): it has no calendar entry yet. */
export class SessionNotBookedError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'SESSION_NOT_BOOKED';
}

/** 409: the student already holds the maximum number of open requests. */
export class OpenRequestLimitError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'OPEN_REQUEST_LIMIT';
}

/** 409: the session's meeting is not a Zoom meeting of ours (the tutor's own link, or none): it has no host link. */
export class NoZoomMeetingError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'NO_ZOOM_MEETING';
}

/** 409: the Zoom user to link is not a user of our Zoom account. */
export class ZoomUserNotFoundError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'ZOOM_USER_NOT_FOUND';
}

/** 409: the Zoom user to link is not active (deactivated, or invited and not signed up), or hosts the shared pool's meetings. */
export class ZoomUserUnusableError extends HttpError {
  readonly statusCode = 409;
  readonly code = 'ZOOM_USER_UNUSABLE';
}

export class PayloadTooLargeError extends HttpError {
  readonly statusCode = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends HttpError {
  readonly statusCode = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/**
 * 503: a service we depend on (the table, the workflow service) could not be reached, timed
 * out or refused for load, still after the SDK's own retries. The client may send the same
 * request again after `retryAfterSeconds` (the Retry-After header).
 */
export class ServiceUnavailableError extends HttpError {
  readonly statusCode = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(
    message = 'A service we depend on is unavailable; try again shortly',
    readonly retryAfterSeconds = 5,
  ) {
    super(message);
  }
}

/**
 * A refusal with its own machine-readable code, where the generic classes' codes say too
 * little for a client to act on (payouts: INSUFFICIENT_BALANCE, WITHDRAWAL_IN_FLIGHT, …).
 */
export class CodedError extends HttpError {
  constructor(
    readonly statusCode: 400 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** 502: a provider we depend on (Paystack, Zoom) failed after retries; nothing was changed. */
export class UpstreamError extends HttpError {
  readonly statusCode = 502;
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
