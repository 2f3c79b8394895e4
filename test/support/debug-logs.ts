/**
 * Import this FIRST in a test file whose handlers must log at DEBUG: the Powertools logger
 * reads POWERTOOLS_LOG_LEVEL once, when shared/observability/logger.ts is first imported, and
 * resets to that level at the start of every invocation (so setLogLevel() does not last).
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
