/** `npm run openapi`: writes docs/openapi.json from the route table and the handlers' schemas. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildOpenApi, OPENAPI_FILE, renderOpenApi } from './openapi';

const file = resolve(process.cwd(), OPENAPI_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, renderOpenApi(await buildOpenApi()));
process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
