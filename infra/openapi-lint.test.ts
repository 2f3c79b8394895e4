/** Redocly's recommended OpenAPI rules, on the document as npm run openapi writes it. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { OPENAPI_FILE } from './openapi';

const file = join(resolve(process.cwd()), OPENAPI_FILE);

describe(`${OPENAPI_FILE} under Redocly's recommended rules`, () => {
  it('has no errors, and no warning but that GET /health has no 4xx answer (it has none)', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
    const found = problems.map((p) => ({ severity: p.severity, rule: p.ruleId, message: p.message, at: p.location[0]?.pointer }));
    expect(found.filter((p) => p.severity === 'error')).toEqual([]);
    expect(found).toEqual([{ severity: 'warn', rule: 'operation-4xx-response', message: expect.any(String), at: '#/paths/~1health/get/responses' }]);
  });
});
