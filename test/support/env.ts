/**
 * Runs before each test file's modules load: every file gets a table name of its own, so
 * files running in parallel never see each other's data. The table is created by
 * `useTestTable()` in the files that touch the database.
 */
import { randomUUID } from 'node:crypto';

process.env.TABLE_NAME = `test-${randomUUID()}`;

// Tests never reach the real Zoom, whatever the shell exports: only useZoomEmulator() (or the
// local stack's own emulator) gives the client somewhere to go.
for (const name of ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET', 'ZOOM_SECRET_ARN', 'ZOOM_API_BASE_URL', 'ZOOM_OAUTH_URL', 'ZOOM_USER_ID']) delete process.env[name];

// Powertools: warnings and errors only (POWERTOOLS_LOG_LEVEL=DEBUG npx jest … to see more),
// written through the global console (POWERTOOLS_DEV) so a test can spy on it, and no
// metrics unless a test turns them on (shared/observability/*.test.ts).
process.env.POWERTOOLS_LOG_LEVEL ||= 'WARN';
process.env.POWERTOOLS_DEV = 'true';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
