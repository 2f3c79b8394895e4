import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createSessionBody } from './session';
import * as z from './zod';

const ROOT = join(__dirname, '..', '..');

/** Every non-test TypeScript file under `dir`. */
const sources = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });

describe('the zod the Lambdas bundle', () => {
  it('words built-in issues in English, as classic zod does', () => {
    const result = createSessionBody.safeParse({ tutorId: 'tutor-ada', scheduledAt: 'soon', durationMinutes: 1.5, title: '', bookingMode: 'INSTANT' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.code, i.message])).toEqual([
      ['scheduledAt', 'invalid_format', 'Invalid ISO datetime'],
      ['durationMinutes', 'invalid_value', 'Invalid option: expected one of 15|30|45|60|75|90|105|120|135|150|165|180|195|210|225|240'],
      ['title', 'too_small', 'Too small: expected string to have >=1 characters'],
    ]);
  });

  it('is imported from shared/schemas/zod everywhere in shared/ and functions/: never classic zod (cold start), never zod/mini without its messages', () => {
    const direct = [...sources('shared'), ...sources('functions')]
      .filter((file) => relative('shared/schemas/zod.ts', file) !== '')
      .filter((file) => /from 'zod(\/[^']*)?'/.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(direct).toEqual([]);
  });

  it('keeps descriptions for the OpenAPI document', () => {
    const header = z.string().check(z.describe('A signature'));
    expect(z.toJSONSchema(z.object({ header }))).toMatchObject({ properties: { header: { type: 'string', description: 'A signature' } } });
  });
});
