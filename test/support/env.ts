/**
 * Runs before each test file's modules load: every file gets a table name of its own, so
 * files running in parallel never see each other's data. The table is created by
 * `useTestTable()` in the files that touch the database.
 */
import { randomUUID } from 'node:crypto';

process.env.TABLE_NAME = `test-${randomUUID()}`;
