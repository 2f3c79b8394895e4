/** `npm run docs:access-patterns`: writes docs/access-patterns.md from the entity declarations of shared/data. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_PATTERNS_FILE, renderAccessPatterns } from '../shared/data/access-patterns';

writeFileSync(join(import.meta.dirname, '..', ACCESS_PATTERNS_FILE), renderAccessPatterns());
console.log(`wrote ${ACCESS_PATTERNS_FILE}`);
