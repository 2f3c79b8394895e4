/** Where things are on disk, for the CDK app: everything is resolved from the project root. */
import * as path from 'node:path';

/** The repository root (the folder holding package.json and package-lock.json). */
export const PROJECT_ROOT = path.resolve(process.cwd());

/** The lock file esbuild's bundling step is keyed on. */
export const LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');
