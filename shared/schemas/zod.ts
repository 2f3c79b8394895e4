/**
 * The zod every Lambda bundles: `zod/mini` (the same v4 engine as `zod`, a functional API
 * that tree-shakes, ~75 KB and ~10 ms of cold start less than the classic API), with
 * English issue messages. Classic zod installs those by itself; mini leaves every built-in
 * issue as "Invalid input", which would change our 400 responses' details.
 *
 * Import it as `import * as z from '../schemas/zod'`, never 'zod' or 'zod/mini' directly
 * (shared/schemas/zod.test.ts holds the Lambda code to that).
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
