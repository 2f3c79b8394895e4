/**
 * The observability middlewares every middy chain starts with (HTTP routes, workflow steps,
 * WebSocket routes and authorizer): the Lambda context and the invocation's own keys on every
 * log line, the event (redacted) at DEBUG, the metrics published once at the end.
 */
import type { MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LogLevelThreshold } from '@aws-lambda-powertools/logger';
import { logger } from './logger';
import { metrics } from './metrics';
import { redactEvent, type RedactOptions } from './redact';

export type LogKeys = Record<string, string | undefined>;

export interface ObserveOptions<E> {
  /** The keys every line of this invocation carries; undefined and empty values are left out. */
  keysOf?: (event: E) => LogKeys;
  /** How the event is redacted for the DEBUG line. */
  redact?: RedactOptions;
}

/** Appends the defined, non-empty keys for the rest of this invocation. */
export const appendLogKeys = (keys: LogKeys): void => {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => typeof v === 'string' && v !== ''));
  if (Object.keys(defined).length > 0) logger.appendKeys(defined);
};

const debugEnabled = (): boolean => logger.level <= LogLevelThreshold.DEBUG;

/**
 * Publishes the invocation's metrics, and only when there are some: Powertools' own
 * `logMetrics` middleware publishes unconditionally, which warns "No application metrics to
 * publish" on every invocation that counted nothing (most of them).
 */
const publishMetrics = <E, R>(): MiddlewareObj<E, R> => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return { after: publish, onError: publish };
};

/**
 * Used first in `.use([...])`: their `after`/`onError` run last, so a chain's own error logging
 * still carries the keys.
 */
export const observe = <E, R = unknown>(options: ObserveOptions<E> = {}): MiddlewareObj<E, R>[] => [
  // The context on every line (function name, awsRequestId as `function_request_id`, cold start);
  // `resetKeys` drops the keys appended during the invocation at its end, on success and on error alike.
  injectLambdaContext(logger, { resetKeys: true }),
  // requestId, sessionId, connectionId…; a chain appends `userId` itself once the caller is known.
  {
    before: (request) => {
      if (options.keysOf) appendLogKeys(options.keysOf(request.event));
      if (debugEnabled()) logger.debug('Lambda invocation event', { event: redactEvent(request.event, options.redact) });
    },
  },
  publishMetrics<E, R>(),
];
