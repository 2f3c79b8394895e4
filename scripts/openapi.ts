/**
 * `npm run openapi`: writes docs/openapi.json from the route table and the handlers' schemas,
 * and the client's types from it. `npm run client` (`--client`): only the client's types, from
 * docs/openapi.json as it is.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CLIENT_TYPES_FILE, renderClientTypes } from '../infra/client-types';
import { buildOpenApi, OPENAPI_FILE, renderOpenApi, type OpenApiDocument } from '../infra/openapi';

const write = (path: string, text: string) => {
  const file = resolve(process.cwd(), path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`Wrote ${path}\n`);
};

let doc: OpenApiDocument;
if (process.argv.includes('--client')) {
  doc = JSON.parse(readFileSync(resolve(process.cwd(), OPENAPI_FILE), 'utf8')) as OpenApiDocument;
} else {
  doc = await buildOpenApi();
  write(OPENAPI_FILE, renderOpenApi(doc));
}
write(CLIENT_TYPES_FILE, await renderClientTypes(doc));
