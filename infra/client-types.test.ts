import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIENT_TYPES_FILE, renderClientTypes } from './client-types';
import { OPENAPI_FILE, type OpenApiDocument } from './openapi';

const ROOT = resolve(process.cwd());

describe('The typed client', () => {
  it(`has the types generated from ${OPENAPI_FILE} (run npm run openapi, or npm run client, after changing the document)`, async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, OPENAPI_FILE), 'utf8')) as OpenApiDocument;
    expect(readFileSync(join(ROOT, CLIENT_TYPES_FILE), 'utf8')).toBe(await renderClientTypes(doc));
  });
});
