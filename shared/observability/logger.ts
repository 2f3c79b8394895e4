/**
 * The one logger: Powertools' structured JSON logger, created once per container. Handlers
 * append the request's keys (sessionId, userId, requestId) at the start of each invocation,
 * so every line of that request carries them.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'mentorship-booking' });
