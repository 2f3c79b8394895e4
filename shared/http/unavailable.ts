/**
 * Which failures mean "a service we depend on is unavailable" (answered 503 with Retry-After)
 * rather than a fault of ours (500): an AWS SDK call (DynamoDB, Step Functions, API Gateway's
 * management API) that failed on the network, timed out, was throttled or got a 5xx, still
 * after the SDK's retries. The SDK's own classification decides, the one its retry strategy
 * uses, so the two cannot disagree. Errors of Paystack and Zoom are not here: their clients
 * throw UpstreamError (502) themselves. It costs every route ~14 KB of bundle: '@smithy/core/retry'
 * is the only export of these functions, and its index builds the retry middleware at load.
 */
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { ServiceUnavailableError } from '../domain/errors';

/** What the SDK attaches to every error of a call it made (network errors included). */
interface SdkCallError {
  name: string;
  $metadata: { httpStatusCode?: number; attempts?: number };
}

const isSdkCallError = (e: unknown): e is SdkCallError =>
  e instanceof Error && typeof (e as { $metadata?: unknown }).$metadata === 'object' && (e as { $metadata?: unknown }).$metadata !== null;

/** The 503 to answer for `error`, or undefined when it is no outage of a dependency. */
export const unavailableDependency = (error: unknown): ServiceUnavailableError | undefined => {
  if (!isSdkCallError(error)) return undefined;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  // No status: the service never answered (refused, reset, timed out, not resolved). The SDK
  // attaches $metadata only once a request was attempted, so a fault of ours before sending
  // (an invalid input, a marshalling error) is not taken for an outage.
  const noAnswer = error.$metadata.httpStatusCode === undefined;
  return noAnswer || isTransientError(sdkError) || isThrottlingError(sdkError) ? new ServiceUnavailableError() : undefined;
};
