import { ApiError, apiErrorFrom, describeError } from './errors';

describe('API errors in words', () => {
  it('says what happened and the server’s own message for a taken slot', () => {
    const e = apiErrorFrom(409, { error: { code: 'SLOT_UNAVAILABLE', message: 'That time overlaps another booking' } });
    expect(e).toBeInstanceOf(ApiError);
    expect(describeError(e)).toBe('That time is no longer available. That time overlaps another booking.');
  });

  it('names each field that failed validation', () => {
    const e = apiErrorFrom(400, { error: { code: 'VALIDATION_FAILED', message: 'Invalid booking', details: [{ path: 'body.title', message: 'Too small' }] } });
    expect(describeError(e)).toBe('Please check what you entered. Invalid booking. title: Too small');
  });

  it('falls back to the status when the body is not the envelope, and to words for a network failure', () => {
    expect(describeError(apiErrorFrom(502, '<html>'))).toBe('Something went wrong on our side. Please try again.');
    expect(describeError(new ApiError(0, 'NETWORK', ''))).toBe('We could not reach the server. Check your connection and try again.');
  });
});
