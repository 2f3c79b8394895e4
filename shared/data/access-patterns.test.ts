/** Keeps docs/access-patterns.md true: written from the entity declarations, every key builder and every entity read belonging to one. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESS_PATTERNS_FILE, renderAccessPatterns } from './access-patterns';
import { ENTITIES } from './entities';
import { KEY_ATTRIBUTES } from './entity';
import * as keys from './keys';
import { TABLE } from './table';

const doc = readFileSync(join(__dirname, '../..', ACCESS_PATTERNS_FILE), 'utf8');

/** The modules of shared/data (not the tests), by file name, with their source. */
const MODULES = readdirSync(__dirname)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((file) => ({ file, source: readFileSync(join(__dirname, file), 'utf8') }));

/** Every `entity({…})` declared in shared/data, by the name it is declared under, with what its module exports under that name. */
const declaredEntities = async () =>
  (
    await Promise.all(
      MODULES.map(async ({ file, source }) => {
        const exported = (await import(join(__dirname, file))) as Record<string, unknown>;
        return [...source.matchAll(/const (\w+) = entity\(/g)].map(([, name]) => ({ file, name: name!, value: exported[name!] }));
      }),
    )
  ).flat();

const P = '\u0001';

/** Calls a key builder with placeholder arguments: what it makes, as strings. */
const built = (builder: (...args: never[]) => unknown): string[] => {
  const out = (builder as (...args: unknown[]) => unknown)(P, P, P, P);
  return typeof out === 'string' ? [out] : Object.values(out as Record<string, string>);
};

/** What of a built key is fixed: all of it without a placeholder, else its name up to the first '#' (undefined: none). */
const fixedPart = (value: string): string | undefined => {
  const at = value.indexOf(P);
  if (at < 0) return value;
  const hash = value.indexOf('#');
  return hash >= 0 && hash < at ? value.slice(0, hash + 1) : undefined;
};

describe('The access-patterns document', () => {
  it('is the one npm run docs:access-patterns writes from the declarations', () => {
    expect(doc).toBe(renderAccessPatterns());
  });

  it('names every index of the table definition', () => {
    for (const index of TABLE.indexes) expect(doc).toContain(`${index.name} `);
  });

  it('has a row for every declared entity', () => {
    for (const e of ENTITIES) expect(doc).toContain(`| ${e.about} `);
  });
});

describe('The access patterns', () => {
  it('are declared by every entity, or the entity says why it has none', () => {
    for (const e of ENTITIES) {
      const count = e.accessPatterns?.().length ?? 0;
      expect({ type: e.type, declared: count > 0 || (e.noAccessPattern ?? '').length > 0 }).toEqual({ type: e.type, declared: true });
    }
  });

  it('are declared by every entity shared/data reads back: each one whose items a Get or a Query parses has one', async () => {
    const byName = new Map((await declaredEntities()).map((d) => [d.name, d.value]));
    const read = new Set(MODULES.flatMap(({ source }) => [...source.matchAll(/\b(\w+)\.parse(?:Listed)?\b/g)].map(([, name]) => name!)).filter((n) => byName.has(n)));
    expect(read.size).toBeGreaterThan(10);
    for (const name of read) {
      const e = ENTITIES.find((x) => x === byName.get(name));
      expect({ name, patterns: (e?.accessPatterns?.().length ?? 0) > 0 }).toEqual({ name, patterns: true });
    }
  });

  it('come from a registry that holds every entity declared in shared/data', async () => {
    const declared = await declaredEntities();
    expect(declared.length).toBe(ENTITIES.length);
    for (const d of declared)
      expect({ ...d, value: undefined, registered: (ENTITIES as readonly unknown[]).includes(d.value) }).toEqual({ ...d, value: undefined, registered: true });
  });
});

describe('The entity declarations', () => {
  it('give each entity its own type', () => {
    const types = ENTITIES.map((e) => e.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('sample only key attributes, with the prefixes the key builders make', () => {
    for (const e of ENTITIES) {
      const sample = e.sample();
      for (const attribute of Object.keys(sample)) expect(KEY_ATTRIBUTES).toContain(attribute);
      const made = e.key(...(['x', 'y', 'CREDIT', 7] as never[]));
      // The fixed part of each key (before the first placeholder) is the builder's.
      for (const k of ['pk', 'sk'] as const) expect(made[k].startsWith(sample[k]!.split('<')[0]!)).toBe(true);
    }
  });

  it('cover every key builder: each key it makes is the key, an index key or a partition of a declared entity', () => {
    const declared = ENTITIES.flatMap((e) => Object.values(e.sample()));
    for (const [name, builder] of Object.entries(keys)) {
      if (typeof builder !== 'function') continue;
      for (const value of built(builder)) {
        const fixed = fixedPart(value);
        if (fixed === undefined) continue;
        expect({ name, fixed, covered: declared.some((d) => d.startsWith(fixed)) }).toEqual({ name, fixed, covered: true });
      }
    }
  });

  it('cover every key prefix the table is queried by', () => {
    for (const prefix of [
      keys.HOLD_PREFIX,
      keys.NOTIFICATION_PREFIX,
      keys.LEDGER_PREFIX,
      keys.CONNECTION_PREFIX,
      keys.REVIEW_PREFIX,
      keys.RECORDINGS_PREFIX,
      keys.WORKFLOW_CALLBACK_PREFIX,
    ]) {
      expect(ENTITIES.some((e) => e.sample().sk?.startsWith(prefix))).toBe(true);
    }
  });
});
