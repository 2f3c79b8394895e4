/**
 * The one logger: Powertools' structured JSON logger, created once per container. The
 * middy chains (shared/observability/invocation.ts) append the invocation's keys (requestId,
 * userId, sessionId, connectionId) at its start and drop them at its end, so every line of a
 * request carries them and none leaks into the next.
 *
 * Level: POWERTOOLS_LOG_LEVEL (INFO when unset; the stack sets it per stage, the local stack
 * and the tests default to WARN). Lambda's own application log level, when set, wins.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { SERVICE_NAME } from './names';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || SERVICE_NAME });
